import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/**
 * A real S3-compatible HTTP server on 127.0.0.1 for the S3 adapter's tests: s3rver, an npm dev
 * dependency pinned in package.json, so `npm ci` (and with it `.ci/run`) installs it; it keeps
 * its objects as files in a temporary folder. Why not SeaweedFS or MinIO: see
 * test/attachments-s3.test.ts.
 */

interface S3rverOptions {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  /** Path-style only: the bucket is in the path, as the adapter addresses it. */
  vhostBuckets: boolean;
}

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}

// s3rver ships no type declarations: the little used here is typed above.
const S3rver = createRequire(__filename)('s3rver') as new (options: S3rverOptions) => S3rverInstance;

export interface S3Server {
  endpoint: string;
  /** s3rver's fixed credentials. */
  accessKey: string;
  secretKey: string;
  close(): Promise<void>;
}

export async function startS3Server(): Promise<S3Server> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, vhostBuckets: false });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    close: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
