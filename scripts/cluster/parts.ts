/**
 * One process of the cluster (a Temporal service, the UI server, a worker, an API): started with
 * its output appended to `<logs>/<name>.log`, ready when its own check says so, and able to be
 * SIGKILLed and started again as it is, which is what the fault script does to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PartSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Resolves once the process serves; polled until `readySeconds`. */
  ready: (pid: number) => Promise<boolean>;
  readySeconds?: number;
}

export class Part {
  private child: ChildProcess | undefined;
  private exit: Promise<void> = Promise.resolve();

  constructor(
    readonly spec: PartSpec,
    private readonly logDir: string,
    private readonly onStart: (pid: number) => void,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  /** Settles when the process started last exits. */
  get exited(): Promise<void> {
    return this.exit;
  }

  get logFile(): string {
    return path.join(this.logDir, `${this.spec.name}.log`);
  }

  async start(): Promise<void> {
    const out = openSync(this.logFile, 'a');
    const child = spawn(this.spec.command, this.spec.args, { env: { ...process.env, ...this.spec.env }, stdio: ['ignore', out, out] });
    closeSync(out);
    this.child = child;
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
    if (!child.pid) throw new Error(`${this.name}: ${this.spec.command} did not start`);
    this.onStart(child.pid);
    const deadline = Date.now() + (this.spec.readySeconds ?? 120) * 1000;
    for (;;) {
      if (this.pid === undefined) throw new Error(`${this.name} exited during startup (exit ${child.exitCode ?? child.signalCode}); see ${this.logFile}`);
      if (await this.spec.ready(child.pid).catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`${this.name} not ready after ${this.spec.readySeconds ?? 120} s; see ${this.logFile}`);
      await sleep(250);
    }
  }

  /** SIGKILL, as an out-of-memory kill or a lost machine: nothing of it runs its shutdown. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exit;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    if (this.pid === undefined) return;
    this.child?.kill('SIGTERM');
    const stopped = await Promise.race([this.exit.then(() => true), sleep(graceMs).then(() => false)]);
    if (!stopped) await this.kill();
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Whether `url` answers 200. */
export async function answers(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.body?.cancel();
  return response.ok;
}
