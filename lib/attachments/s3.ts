import { CreateBucketCommand, GetObjectCommand, HeadBucketCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { ObjectStore } from './store';

export interface S3Settings {
  endpoint: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  region: string;
}

/**
 * Objects in an S3 bucket: MinIO in docker-compose, or any S3-compatible service. Path-style
 * addressing (`<endpoint>/<bucket>/<name>`), which MinIO and most self-hosted services need, with no
 * DNS name per bucket. Checksums only where S3 requires them: the SDK's default trailing checksums
 * (aws-chunked uploads) are not understood by every S3-compatible server, and GCM's tag and the
 * SHA-256 kept in the case already check every byte read back.
 */
export class S3Store implements ObjectStore {
  readonly description: string;
  readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.description = `S3 ${settings.endpoint}/${settings.bucket}`;
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: true,
      credentials: { accessKeyId: settings.accessKey, secretAccessKey: settings.secretKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  get bucket(): string {
    return this.settings.bucket;
  }

  /** Creates the bucket when it does not exist yet (a fresh MinIO): run once at startup. */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      if (!(err instanceof S3ServiceException) || err.$metadata.httpStatusCode !== 404) throw err;
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  async put(name: string, body: Buffer): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: name, Body: body, ContentType: 'application/octet-stream' }));
  }

  async get(name: string): Promise<Buffer | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: name }));
      return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : Buffer.alloc(0);
    } catch (err) {
      if (err instanceof NoSuchKey || (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404)) return undefined;
      throw err;
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
