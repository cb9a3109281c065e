import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * AES-256-GCM encryption of every payload the service hands to Temporal: workflow inputs,
 * update arguments and results, activity inputs and results, queries. Complainants' identities
 * and all free text are ciphertext in the history, so in the server's database and the Web UI,
 * unless decoded by the codec endpoint for an authorised caller.
 *
 * A payload is deflated before it is encrypted where that makes it smaller: a case's JSON (its
 * timeline, its row) shrinks to a third or less, and history bytes are what the server stores,
 * replicates and sends to every worker that replays the case. Compression before encryption lets
 * a payload's length depend on how alike its parts are; to learn anything from that, one would
 * have to see the history's sizes and write into the same payload as the secret, again and again.
 */

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
/** Set (to `deflate`) on a payload whose encrypted bytes are deflated; older payloads lack it. */
const COMPRESSION = 'encryption-compression';
const DEFLATE = 'deflate';
/** Below this, deflate's own overhead takes back most of what it saves. */
const COMPRESS_FROM_BYTES = 256;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKeys {
  /** Key id → 32-byte key. */
  keys: Map<string, Buffer>;
  /** The newest key: new payloads are encrypted with it; older ones still decrypt. */
  current: string;
}

/**
 * `PAYLOAD_KEYS` is `id:base64key,id:base64key`, oldest first; the last is current. Rotating means
 * appending a key and deploying; a key may be removed once no open case's history still uses it.
 */
export function parsePayloadKeys(raw: string): PayloadKeys {
  const keys = new Map<string, Buffer>();
  let current = '';
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [id, material] = part.split(':');
    if (!id || !material || !/^[\w.-]+$/.test(id)) throw new Error(`"${part.slice(0, 12)}…" is not id:base64key`);
    const key = Buffer.from(material, 'base64');
    if (key.length !== 32) throw new Error(`key ${id} must be 32 bytes (base64 of 32 random bytes), not ${key.length}`);
    if (keys.has(id)) throw new Error(`key id ${id} is listed twice`);
    keys.set(id, key);
    current = id;
  }
  if (keys.size === 0) throw new Error('at least one key is needed');
  return { keys, current };
}

export function newKeyEntry(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/** Development only: a key made once and kept in DATA_DIR, so `npm start` encrypts too. */
export function developmentPayloadKeys(file: string): PayloadKeys {
  if (!existsSync(file)) writeFileSync(file, `${newKeyEntry('dev-1')}\n`, { mode: 0o600 });
  return parsePayloadKeys(readFileSync(file, 'utf8').trim());
}

export class AesGcmCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeys) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.keys.current;
    const key = this.keys.keys.get(keyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const encoded = temporal.api.common.v1.Payload.encode(payload).finish();
      const deflated = encoded.length >= COMPRESS_FROM_BYTES ? deflateRawSync(encoded) : undefined;
      const compressed = deflated !== undefined && deflated.length < encoded.length;
      const sealed = Buffer.concat([cipher.update(compressed ? deflated : encoded), cipher.final()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: Buffer.from(ENCODING),
          [KEY_ID]: Buffer.from(keyId),
          ...(compressed ? { [COMPRESSION]: Buffer.from(DEFLATE) } : {}),
        },
        data: Buffer.concat([iv, cipher.getAuthTag(), sealed]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || Buffer.from(encoding).toString() !== ENCODING) return payload;
      const keyId = Buffer.from(payload.metadata?.[KEY_ID] ?? []).toString();
      const key = this.keys.keys.get(keyId);
      if (!key) throw new Error(`payload encrypted with key "${keyId}", which this process does not have`);
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      const compression = payload.metadata?.[COMPRESSION];
      if (!compression) return temporal.api.common.v1.Payload.decode(plain);
      if (Buffer.from(compression).toString() !== DEFLATE)
        throw new Error(`payload compressed with "${Buffer.from(compression).toString()}", which this process cannot read`);
      return temporal.api.common.v1.Payload.decode(inflateRawSync(plain));
    });
  }
}

/** Encrypts failures' messages and stack traces too (see the file); the SDK loads it by path. */
export const failureConverterPath = path.join(__dirname, 'failure-converter.js');

/** The data converter every client and worker of the service uses (and the workflow bundle's failures). */
export function dataConverterFor(keys: PayloadKeys | AesGcmCodec): DataConverter {
  return { payloadCodecs: [keys instanceof AesGcmCodec ? keys : new AesGcmCodec(keys)], failureConverterPath };
}
