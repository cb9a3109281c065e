import { createHash } from 'node:crypto';
import path from 'node:path';
import type { PayloadKeys } from '../codec';
import type { Config } from '../config';
import { LocalDiskStore } from './local-disk';
import { S3Store } from './s3';
import { AttachmentSealer, SealError } from './sealing';
import type { ObjectStore } from './store';

export { sniffType } from './content';
export type { ObjectStore } from './store';

/** Attachment ids: 22 base64url characters (128 bits), made by the API, never by a caller. */
export const attachmentIdPattern = '^[A-Za-z0-9_-]{22}$';

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** What reading an attachment's object found, when it did not find the file. */
export type Unreadable = 'missing' | 'corrupt';

/**
 * A case's files (evidence photos, inspection records, penalty decisions): sealed with the payload
 * keys and kept in the object store under `cases/<case id>/<attachment id>`. The case's workflow
 * keeps only the reference (id, hash, size, type): the bytes never enter Temporal's history.
 */
export class Attachments {
  private readonly sealer: AttachmentSealer;

  constructor(
    readonly store: ObjectStore,
    payloadKeys: PayloadKeys,
    /** The largest file taken (ATTACHMENTS_MAX_MB). */
    readonly maxBytes: number,
  ) {
    this.sealer = new AttachmentSealer(payloadKeys);
  }

  static objectName(caseId: string, attachmentId: string): string {
    return `cases/${caseId}/${attachmentId}`;
  }

  async save(caseId: string, attachmentId: string, bytes: Buffer): Promise<void> {
    const name = Attachments.objectName(caseId, attachmentId);
    await this.store.put(name, this.sealer.seal(name, bytes));
  }

  /**
   * The file as uploaded, checked against the SHA-256 the case recorded: `missing` when the store
   * has no such object, `corrupt` when it does not open or its hash differs (altered, or not ours).
   */
  async read(caseId: string, attachmentId: string, expectedSha256: string): Promise<Buffer | Unreadable> {
    const name = Attachments.objectName(caseId, attachmentId);
    const sealed = await this.store.get(name);
    if (sealed === undefined) return 'missing';
    let plain: Buffer;
    try {
      plain = this.sealer.open(name, sealed);
    } catch (err) {
      if (err instanceof SealError) return 'corrupt';
      throw err;
    }
    return sha256(plain) === expectedSha256 ? plain : 'corrupt';
  }
}

/** The object store the configuration names: S3 when ATTACHMENTS_S3_ENDPOINT is set, else the local disk. */
export function objectStoreFor(config: Config): ObjectStore {
  const s3 = config.attachmentsS3Endpoint;
  if (s3 && config.attachmentsS3Bucket && config.attachmentsS3AccessKey && config.attachmentsS3SecretKey) {
    return new S3Store({
      endpoint: s3,
      bucket: config.attachmentsS3Bucket,
      accessKey: config.attachmentsS3AccessKey,
      secretKey: config.attachmentsS3SecretKey,
      region: config.attachmentsS3Region,
    });
  }
  return new LocalDiskStore(config.attachmentsDir ?? path.join(config.dataDir, 'attachments'));
}

/** The attachments of a deployment; an S3 bucket that does not exist yet is created. */
export async function attachmentsFor(config: Config, payloadKeys: PayloadKeys): Promise<Attachments> {
  const store = objectStoreFor(config);
  if (store instanceof S3Store) await store.ensureBucket();
  return new Attachments(store, payloadKeys, config.attachmentsMaxMb * 1024 * 1024);
}
