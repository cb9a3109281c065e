import { createCipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { AesGcmCodec } from '../lib/codec';
import { testPayloadKeys } from './helpers/api';

const codec = new AesGcmCodec(testPayloadKeys);

function jsonPayload(value: unknown): Payload {
  return { metadata: { [METADATA_ENCODING_KEY]: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) };
}

function text(bytes: Uint8Array | null | undefined): string {
  return Buffer.from(bytes ?? []).toString();
}

/** A case's timeline, as repetitive as the real one. */
const timeline = Array.from({ length: 30 }, (_, i) => ({
  kind: 'warned',
  at: `2026-12-0${(i % 9) + 1}T08:00:00.000Z`,
  by: { role: 'system' },
  note: '临近办理期限，请尽快办结',
}));

describe('the payload codec', () => {
  it('deflates a large payload before it encrypts it, and gives it back whole', async () => {
    const payload = jsonPayload({ timeline });
    const [sealed] = await codec.encode([payload]);
    expect(text(sealed!.metadata?.[METADATA_ENCODING_KEY])).toBe('binary/encrypted');
    expect(text(sealed!.metadata?.['encryption-compression'])).toBe('deflate');
    expect(sealed!.data!.length).toBeLessThan(payload.data!.length / 3);
    const [opened] = await codec.decode([sealed!]);
    expect(JSON.parse(text(opened!.data))).toEqual({ timeline });
    expect(text(opened!.metadata?.[METADATA_ENCODING_KEY])).toBe('json/plain');
  });

  it('leaves a small payload uncompressed', async () => {
    const payload = jsonPayload({ ok: true });
    const [sealed] = await codec.encode([payload]);
    expect(sealed!.metadata?.['encryption-compression']).toBeUndefined();
    const [opened] = await codec.decode([sealed!]);
    expect(JSON.parse(text(opened!.data))).toEqual({ ok: true });
  });

  it('still reads a payload encrypted before compression, as the recorded histories hold them', async () => {
    // The format before compression: iv, tag, then the encrypted payload's proto bytes.
    const payload = jsonPayload({ timeline });
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', testPayloadKeys.keys.get('test-1')!, iv);
    const sealed = Buffer.concat([cipher.update(temporal.api.common.v1.Payload.encode(payload).finish()), cipher.final()]);
    const [opened] = await codec.decode([
      {
        metadata: { [METADATA_ENCODING_KEY]: Buffer.from('binary/encrypted'), 'encryption-key-id': Buffer.from('test-1') },
        data: Buffer.concat([iv, cipher.getAuthTag(), sealed]),
      },
    ]);
    expect(JSON.parse(text(opened!.data))).toEqual({ timeline });
  });

  it('refuses a compression it does not know rather than hand out garbage', async () => {
    const [sealed] = await codec.encode([jsonPayload({ timeline })]);
    sealed!.metadata!['encryption-compression'] = Buffer.from('zstd');
    await expect(codec.decode([sealed!])).rejects.toThrow(/zstd/);
  });
});
