import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attachments, sha256, sniffType } from '../lib/attachments';
import { LocalDiskStore } from '../lib/attachments/local-disk';
import { contentDisposition } from '../api/routes/attachments';
import { workflowIdFor } from '../workflows/case';
import { AesGcmCodec } from '../lib/codec';
import { assignedCase, credentials, keys, startApiHarness, testPayloadKeys, type ApiHarness } from './helpers/api';
import { unitA, unitB } from './helpers/cases';

/** A JPEG as its signature shows it, carrying a byte sequence of its own to look for elsewhere. */
const marker = Buffer.from(`EVIDENCE-BYTES-${randomBytes(8).toString('hex')}`);
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), marker, randomBytes(2048), Buffer.from([0xff, 0xd9])]);

describe('what a file is, by its content', () => {
  it('knows the formats taken by their signatures, whatever the name', () => {
    expect(sniffType(jpeg)).toBe('image/jpeg');
    expect(sniffType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffType(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(sniffType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffType(Buffer.from('\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00', 'latin1'))).toBe('video/mp4');
    expect(sniffType(Buffer.from('<html><script>alert(1)</script>'))).toBeUndefined();
    expect(sniffType(Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ', 'latin1'))).toBeUndefined();
    expect(sniffType(Buffer.from([0xff, 0xd8]))).toBeUndefined();
  });

  it('names a download in ASCII and, for the rest, in UTF-8 (RFC 5987)', () => {
    expect(contentDisposition('现场照片 (1).jpg')).toBe(
      `attachment; filename="____ (1).jpg"; filename*=UTF-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87%20%281%29.jpg`,
    );
    expect(contentDisposition('a"b\\c.pdf')).toBe(`attachment; filename="a_b_c.pdf"; filename*=UTF-8''a%22b%5Cc.pdf`);
  });
});

describe('the local-disk attachment store', () => {
  it('keeps sealed objects as files under its folder, and reads them back checked', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'attachments-local-'));
    try {
      const store = new LocalDiskStore(dir);
      const attachments = new Attachments(store, testPayloadKeys, 1024 * 1024);
      await attachments.save('20261124-3f9a0c1b2d', 'AAAAAAAAAAAAAAAAAAAAAA', jpeg);
      const file = path.join(dir, 'cases', '20261124-3f9a0c1b2d', 'AAAAAAAAAAAAAAAAAAAAAA');
      expect(readFileSync(file).includes(marker)).toBe(false);
      expect(await attachments.read('20261124-3f9a0c1b2d', 'AAAAAAAAAAAAAAAAAAAAAA', sha256(jpeg))).toEqual(jpeg);
      expect(await attachments.read('20261124-3f9a0c1b2d', 'BBBBBBBBBBBBBBBBBBBBBB', sha256(jpeg))).toBe('missing');
      writeFileSync(file, 'not sealed');
      expect(await attachments.read('20261124-3f9a0c1b2d', 'AAAAAAAAAAAAAAAAAAAAAA', sha256(jpeg))).toBe('corrupt');
      await expect(store.put('../outside', Buffer.from('x'))).rejects.toThrow(/leaves the store's folder/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('attachments through the API', () => {
  let h: ApiHarness;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'attachments-api-'));
    h = await startApiHarness('attachments', { env: { ATTACHMENTS_DIR: dir, ATTACHMENTS_MAX_MB: '1' } });
  });

  afterAll(async () => {
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const upload = (id: string, who: string, body: Buffer, query = 'kind=evidence_photo&name=现场照片.jpg', headers: Record<string, string> = {}) =>
    h.app.inject({
      method: 'POST',
      url: `/complaints/${id}/attachments?${encodeURI(query)}`,
      headers: { ...credentials(who), 'content-type': 'application/octet-stream', ...headers },
      payload: body,
    });

  it('takes a JPEG from the unit, keeps it encrypted, lists it in the case and hands it back to those who may read the case', async () => {
    const id = await assignedCase(h.app, unitA);
    const uploaded = await upload(id, keys.unitA, jpeg);
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const attachment = uploaded.json<{ id: string; sha256: string; size: number; mimeType: string; name: string; by: string; kind: string }>();
    expect(attachment).toMatchObject({ sha256: sha256(jpeg), size: jpeg.length, mimeType: 'image/jpeg', name: '现场照片.jpg', kind: 'evidence_photo' });
    expect(attachment.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(uploaded.headers.location).toBe(`/complaints/${id}/attachments/${attachment.id}`);

    // At rest: sealed, not the file.
    const stored = readFileSync(path.join(dir, 'cases', id, attachment.id));
    expect(stored.includes(marker)).toBe(false);

    const view = await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.registrar) });
    const listed = view.json<{ attachments: unknown[]; timeline: { kind: string; data?: Record<string, unknown> }[] }>();
    expect(listed.attachments).toEqual([{ ...attachment, at: expect.any(String) }]);
    expect(listed.timeline.find((t) => t.kind === 'attachment_added')?.data).toMatchObject({ id: attachment.id, sha256: attachment.sha256 });

    for (const who of [keys.unitA, keys.registrar, keys.supervisor, keys.ops]) {
      const download = await h.app.inject({ method: 'GET', url: `/complaints/${id}/attachments/${attachment.id}`, headers: credentials(who) });
      expect(download.statusCode, download.body).toBe(200);
      expect(download.rawPayload.equals(jpeg)).toBe(true);
      expect(download.headers['content-type']).toBe('image/jpeg');
      expect(download.headers['x-content-type-options']).toBe('nosniff');
      expect(download.headers['content-disposition']).toBe(contentDisposition('现场照片.jpg'));
    }
    // A unit of another case does not see it, nor the case: 404 as if neither existed.
    const elsewhere = await h.app.inject({ method: 'GET', url: `/complaints/${id}/attachments/${attachment.id}`, headers: credentials(keys.unitB) });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.headers['content-type']).toMatch(/^application\/problem\+json/);
    // Nor may it attach to it.
    expect((await upload(id, keys.unitB, jpeg)).statusCode).toBe(404);
    // An id the case does not have.
    const unknown = await h.app.inject({ method: 'GET', url: `/complaints/${id}/attachments/${'Z'.repeat(22)}`, headers: credentials(keys.registrar) });
    expect(unknown.statusCode).toBe(404);

    // The bytes never entered the workflow's history: not as they are, nor in any payload decoded.
    const history = await h.client.workflow.getHandle(workflowIdFor(id)).fetchHistory();
    const payloads = await new AesGcmCodec(testPayloadKeys).decode(collectPayloads(history));
    const decoded = Buffer.concat(payloads.map((p) => Buffer.from(p.data ?? [])));
    expect(decoded.includes(Buffer.from(attachment.sha256))).toBe(true);
    for (const needle of [marker, Buffer.from(marker.toString('base64')), Buffer.from(jpeg.subarray(0, 64).toString('base64'))]) {
      expect(decoded.includes(needle)).toBe(false);
      expect(Buffer.from(JSON.stringify(history)).includes(needle)).toBe(false);
    }
  });

  it('refuses a text file named .jpg (415), an empty body (400) and a file over the limit (413), naming the field', async () => {
    const id = await assignedCase(h.app, unitA);
    const text = await upload(id, keys.registrar, Buffer.from('这不是图片，只是文字。'), 'kind=evidence_photo&name=photo.jpg', {
      'content-type': 'image/jpeg',
    });
    expect(text.statusCode).toBe(415);
    expect(text.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(text.json()).toMatchObject({ type: '/problems/unsupported-file-type', errors: [{ field: 'file' }] });

    const empty = await upload(id, keys.registrar, Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);

    const big = Buffer.concat([jpeg, Buffer.alloc(1024 * 1024)]);
    const tooLarge = await upload(id, keys.registrar, big);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toMatchObject({ type: '/problems/payload-too-large', errors: [{ field: 'file' }] });

    const badKind = await upload(id, keys.registrar, jpeg, 'kind=selfie');
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json()).toMatchObject({ errors: [{ field: 'kind' }] });

    // A leader may read the case but not attach.
    expect((await upload(id, keys.leader, jpeg)).statusCode).toBe(403);

    // Nothing of these reached the case.
    const view = await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.registrar) });
    expect(view.json<{ attachments: unknown[] }>().attachments).toEqual([]);
  });

  it('adds a retried upload once (Idempotency-Key), names a file by its kind when no name is given', async () => {
    const id = await assignedCase(h.app, unitB, 'dongcheng');
    const pdf = Buffer.from('%PDF-1.7\n处罚决定书\n%%EOF');
    const first = await upload(id, keys.supervisor, pdf, 'kind=penalty_decision', { 'idempotency-key': 'penalty-1' });
    const again = await upload(id, keys.supervisor, pdf, 'kind=penalty_decision', { 'idempotency-key': 'penalty-1' });
    expect(first.statusCode, first.body).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
    expect(first.json()).toMatchObject({ name: 'penalty_decision.pdf', mimeType: 'application/pdf' });
    const view = await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.supervisor) });
    expect(view.json<{ attachments: unknown[] }>().attachments).toHaveLength(1);
  });

  it('answers a lost file with 404 and an altered one with a problem, never a crash', async () => {
    const id = await assignedCase(h.app, unitA);
    const uploaded = await upload(id, keys.registrar, jpeg);
    const attachmentId = uploaded.json<{ id: string }>().id;
    const file = path.join(dir, 'cases', id, attachmentId);
    const url = `/complaints/${id}/attachments/${attachmentId}`;

    const sealed = readFileSync(file);
    sealed[sealed.length - 1]! ^= 1;
    writeFileSync(file, sealed);
    const corrupt = await h.app.inject({ method: 'GET', url, headers: credentials(keys.registrar) });
    expect(corrupt.statusCode).toBe(500);
    expect(corrupt.json()).toMatchObject({ type: '/problems/attachment-corrupt' });

    rmSync(file);
    const missing = await h.app.inject({ method: 'GET', url, headers: credentials(keys.registrar) });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('is offered to who may attach (GET /complaints/{id}/actions) as an upload, with no JSON route of its own', async () => {
    const id = await assignedCase(h.app, unitA);
    const actions = await h.app.inject({ method: 'GET', url: `/complaints/${id}/actions`, headers: credentials(keys.unitA) });
    expect(actions.json<{ actions: { name: string; upload: boolean; path: string }[] }>().actions.find((a) => a.name === 'attach')).toMatchObject({
      upload: true,
      path: 'attachments',
    });
    const spec = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { requestBody?: { content: object } }>>;
    }>();
    expect(Object.keys(spec.paths['/complaints/{id}/attachments']?.post?.requestBody?.content ?? {})).toEqual(['application/octet-stream']);
  });
});

/** Every Payload (an object with `data` bytes) anywhere in a fetched history. */
function collectPayloads(value: unknown, found: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }[] = []) {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return found;
  if ('data' in value && value.data instanceof Uint8Array) found.push(value as (typeof found)[number]);
  for (const child of Object.values(value)) collectPayloads(child, found);
  return found;
}
