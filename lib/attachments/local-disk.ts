import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ObjectStore } from './store';

/**
 * Objects as files under one folder (`DATA_DIR/attachments` by default), for `npm start` and a
 * single-machine deployment. Names are the service's own (`cases/<case>/<attachment>`, checked
 * patterns), never a caller's file name, so they cannot leave the folder.
 */
export class LocalDiskStore implements ObjectStore {
  readonly description: string;

  constructor(private readonly root: string) {
    this.description = `local disk ${root}`;
  }

  private file(name: string): string {
    const file = path.resolve(this.root, name);
    if (!file.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`object name ${name} leaves the store's folder`);
    return file;
  }

  async put(name: string, body: Buffer): Promise<void> {
    const file = this.file(name);
    await mkdir(path.dirname(file), { recursive: true });
    // Written aside, then renamed: a reader never sees half an object, nor does a crash leave one.
    const staging = `${file}.${randomBytes(6).toString('hex')}.part`;
    try {
      await writeFile(staging, body, { mode: 0o600 });
      await rename(staging, file);
    } catch (err) {
      await rm(staging, { force: true });
      throw err;
    }
  }

  async get(name: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.file(name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }
}
