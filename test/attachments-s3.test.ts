/**
 * The S3 adapter against a real S3-compatible HTTP server on 127.0.0.1, through the AWS SDK as in
 * production: objects stored, read back, encrypted at rest, a missing or altered one told apart.
 *
 * The server is s3rver 3.7.1, an npm dev dependency (test/helpers/s3-server.ts), so `npm ci`
 * installs it pinned, here and in CI. MinIO, the production choice (docker-compose.yml), has no
 * binary reachable from this project's registries. SeaweedFS, a Go module, was measured first:
 * `go install github.com/seaweedfs/seaweedfs/weed@v0.0.0-20261109003541-7506e5f91cd6` is refused
 * (its go.mod has replace directives), and building the module's own tree took about 10 minutes
 * on this 2-core machine (2.1 GB of modules downloaded, 1 GB of build cache): a fresh CI clone
 * would pay that on every run, pushing a 17-minute CI past its 25-minute budget. s3rver speaks the
 * same REST API (path-style buckets, SigV4-signed requests, XML errors) from a folder on disk.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attachments, sha256 } from '../lib/attachments';
import { S3Store } from '../lib/attachments/s3';
import { newKeyEntry, parsePayloadKeys } from '../lib/codec';
import { startS3Server, type S3Server } from './helpers/s3-server';

let server: S3Server;
let store: S3Store;
const oldKey = newKeyEntry('key-1');
const keys = parsePayloadKeys(oldKey);

beforeAll(async () => {
  server = await startS3Server();
  store = new S3Store({ endpoint: server.endpoint, bucket: 'attachments', accessKey: server.accessKey, secretKey: server.secretKey, region: 'us-east-1' });
  // A fresh server has no bucket: the adapter makes it, and a second call finds it.
  await store.ensureBucket();
  await store.ensureBucket();
});

afterAll(async () => {
  store?.destroy();
  await server?.close();
});

const raw = async (name: string) =>
  Buffer.from(await (await store.client.send(new GetObjectCommand({ Bucket: 'attachments', Key: name }))).Body!.transformToByteArray());

describe('the S3 attachment store', () => {
  it('puts and gets objects by name; a missing one is undefined', async () => {
    await store.put('cases/a/1', Buffer.from('一二三'));
    expect((await store.get('cases/a/1'))?.toString()).toBe('一二三');
    await store.put('cases/a/1', Buffer.from('replaced'));
    expect((await store.get('cases/a/1'))?.toString()).toBe('replaced');
    expect(await store.get('cases/a/none')).toBeUndefined();
  });

  it('keeps attachments encrypted at rest: the raw object is not the file, and opens only as itself', async () => {
    const attachments = new Attachments(store, keys, 1024 * 1024);
    const file = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('处罚决定书 PLAINTEXT-MARKER '.repeat(20))]);
    await attachments.save('20261124-3f9a0c1b2d', 'AAAAAAAAAAAAAAAAAAAAAA', file);

    const name = Attachments.objectName('20261124-3f9a0c1b2d', 'AAAAAAAAAAAAAAAAAAAAAA');
    const listed = await store.client.send(new ListObjectsV2Command({ Bucket: 'attachments', Prefix: 'cases/20261124-3f9a0c1b2d/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([name]);
    const stored = await raw(name);
    expect(stored.includes(Buffer.from('PLAINTEXT-MARKER'))).toBe(false);
    expect(stored.includes(Buffer.from('处罚决定书'))).toBe(false);
    // The key id travels with the object: `CATT1`, its length, then the id.
    expect(stored.subarray(0, 11).toString('latin1')).toBe('CATT1\u0005key-1');

    expect(await attachments.read('20261124-3f9a0c1b2d', 'AAAAAAAAAAAAAAAAAAAAAA', sha256(file))).toEqual(file);
    expect(await attachments.read('20261124-3f9a0c1b2d', 'BBBBBBBBBBBBBBBBBBBBBB', sha256(file))).toBe('missing');
    // The right bytes under the wrong hash, and another object copied over this one: corrupt.
    expect(await attachments.read('20261124-3f9a0c1b2d', 'AAAAAAAAAAAAAAAAAAAAAA', sha256(Buffer.from('other')))).toBe('corrupt');
    const other = Attachments.objectName('20261124-3f9a0c1b2d', 'CCCCCCCCCCCCCCCCCCCCCC');
    await store.client.send(new PutObjectCommand({ Bucket: 'attachments', Key: other, Body: stored }));
    expect(await attachments.read('20261124-3f9a0c1b2d', 'CCCCCCCCCCCCCCCCCCCCCC', sha256(file))).toBe('corrupt');
    // One flipped byte of the ciphertext.
    const flipped = Buffer.from(stored);
    flipped[flipped.length - 1]! ^= 1;
    await store.client.send(new PutObjectCommand({ Bucket: 'attachments', Key: name, Body: flipped }));
    expect(await attachments.read('20261124-3f9a0c1b2d', 'AAAAAAAAAAAAAAAAAAAAAA', sha256(file))).toBe('corrupt');
  });

  it('still reads objects sealed before a key rotation, and seals new ones with the new key', async () => {
    const before = new Attachments(store, keys, 1024);
    const file = Buffer.from('%PDF-1.7 inspection record');
    await before.save('20261124-aaaaaaaaaa', 'DDDDDDDDDDDDDDDDDDDDDD', file);

    const rotated = new Attachments(store, parsePayloadKeys(`${oldKey},${newKeyEntry('key-2')}`), 1024);
    expect(await rotated.read('20261124-aaaaaaaaaa', 'DDDDDDDDDDDDDDDDDDDDDD', sha256(file))).toEqual(file);
    await rotated.save('20261124-aaaaaaaaaa', 'EEEEEEEEEEEEEEEEEEEEEE', file);
    expect((await raw(Attachments.objectName('20261124-aaaaaaaaaa', 'EEEEEEEEEEEEEEEEEEEEEE'))).subarray(0, 11).toString('latin1')).toBe('CATT1\u0005key-2');
    // A process without the key it was sealed with cannot open it, and says so as corrupt, not a crash.
    const without = new Attachments(store, parsePayloadKeys(newKeyEntry('key-3')), 1024);
    expect(await without.read('20261124-aaaaaaaaaa', 'DDDDDDDDDDDDDDDDDDDDDD', sha256(file))).toBe('corrupt');
  });
});
