import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Children must not outlive this process, however it ends: a SIGKILL or a crash skips every
 * stop. A small detached process holds a pipe to us; when the pipe closes (the kernel closes it
 * whatever killed us) it stops the children it was told of: SIGINT (the dev server and Postgres
 * shut down cleanly on it), SIGKILL after 15 s. On an orderly stop they are gone already.
 */
const reaperSource = `
const pids = new Set(); let rest = '';
process.stdin.on('data', (d) => { rest += d; const lines = rest.split('\\n'); rest = lines.pop();
  for (const l of lines) if (/^\\d+$/.test(l)) pids.add(Number(l)); });
const alive = () => [...pids].filter((p) => { try { process.kill(p, 0); return true; } catch { return false; } });
const signal = (list, sig) => { for (const p of list) { try { process.kill(p, sig); } catch {} } };
process.stdin.on('close', () => {
  signal(alive(), 'SIGINT');
  const deadline = Date.now() + 15000;
  setInterval(() => { const left = alive(); if (left.length === 0 || Date.now() > deadline) { signal(left, 'SIGKILL'); process.exit(0); } }, 200);
});`;

export function startReaper(): (pids: number[]) => void {
  const reaper = spawn(process.execPath, ['-e', reaperSource], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  reaper.unref();
  return (pids) => reaper.stdin?.write(pids.map((pid) => `${pid}\n`).join(''));
}

/** Our child processes whose command line names `text` (Linux /proc; elsewhere none are found). */
export function childrenNaming(text: string): number[] {
  try {
    const children = readdirSync(`/proc/${process.pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean),
    );
    return children.map(Number).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    });
  } catch {
    return [];
  }
}
