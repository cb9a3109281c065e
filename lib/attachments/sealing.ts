import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { PayloadKeys } from '../codec';

/**
 * Attachments are encrypted at rest (AES-256-GCM) with a key derived (HKDF) from each payload key,
 * which the API already holds for Temporal's payloads: rotating PAYLOAD_KEYS rotates this key too,
 * and an object sealed before still opens while its payload key is kept, since the sealed object
 * names its key id (as a payload's metadata does, lib/codec.ts). The object's own name is the
 * additional data, so an object copied over another case's attachment fails to open.
 *
 * Layout: `CATT1` | key id length (1 byte) | key id | IV (12) | tag (16) | ciphertext.
 */

const MAGIC = Buffer.from('CATT1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class AttachmentSealer {
  private readonly keys = new Map<string, Buffer>();
  private readonly current: string;

  constructor(payloadKeys: PayloadKeys) {
    for (const [id, key] of payloadKeys.keys) this.keys.set(id, Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'complaints attachment', 32)));
    this.current = payloadKeys.current;
  }

  seal(name: string, plain: Buffer): Buffer {
    const keyId = Buffer.from(this.current);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.current)!, iv);
    cipher.setAAD(Buffer.from(name));
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([MAGIC, Buffer.from([keyId.length]), keyId, iv, cipher.getAuthTag(), sealed]);
  }

  /** The plaintext; throws `SealError` for an object that is not sealed, by an unknown key, or altered. */
  open(name: string, sealed: Buffer): Buffer {
    if (sealed.length < MAGIC.length + 1 || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) throw new SealError('not a sealed attachment');
    const idEnd = MAGIC.length + 1 + sealed[MAGIC.length]!;
    const keyId = sealed.subarray(MAGIC.length + 1, idEnd).toString();
    const key = this.keys.get(keyId);
    if (!key) throw new SealError(`sealed with key "${keyId}", which this process does not have`);
    if (sealed.length < idEnd + IV_BYTES + TAG_BYTES) throw new SealError('truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(idEnd, idEnd + IV_BYTES));
    decipher.setAAD(Buffer.from(name));
    decipher.setAuthTag(sealed.subarray(idEnd + IV_BYTES, idEnd + IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(idEnd + IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new SealError('does not authenticate: altered, or another object');
    }
  }
}

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}
