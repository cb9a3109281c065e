/**
 * What the kernel counts for a process (Linux /proc): CPU time and resident memory. The benchmark
 * reads them before and after each lane, for the processes that serve it.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** Clock ticks per second (`getconf CLK_TCK`): 100 on every Linux the service runs on. */
const ticksPerSecond = 100;

/** User plus system CPU time of a process so far, in ms; 0 once it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), the 12th and 13th after the name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** Resident memory of a process, in KiB (VmRSS); 0 once it is gone. */
export function rssKiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return Number(line?.match(/\d+/)?.[0] ?? 0);
  } catch {
    return 0;
  }
}

/** The file a process runs, by its name: `postgres`, `temporal`, `node` (a thread name such as node's MainThread would not tell). */
export function executableName(pid: number): string {
  try {
    return path.basename(readlinkSync(`/proc/${pid}/exe`));
  } catch {
    return '';
  }
}

/** A process's children and theirs, depth first. */
export function descendants(pid: number): number[] {
  const children: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  for (const task of tasks) {
    try {
      const listed = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (listed) children.push(...listed.split(/\s+/).map(Number));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** The processes a `npm start` runs, by role, as they are now (Postgres starts a backend per connection). */
export function serviceProcesses(npmPid: number): Record<string, number[]> {
  const groups: Record<string, number[]> = { 'Temporal server': [], Postgres: [], 'service (worker + API)': [] };
  const roles: Record<string, string> = { temporal: 'Temporal server', postgres: 'Postgres', node: 'service (worker + API)' };
  for (const pid of descendants(npmPid)) {
    const role = roles[executableName(pid)];
    if (role) groups[role]!.push(pid);
  }
  return groups;
}

/** CPU ms so far of each process, by group and pid. */
export function cpuReading(groups: Record<string, number[]>): Record<string, Map<number, number>> {
  return Object.fromEntries(Object.entries(groups).map(([group, pids]) => [group, new Map(pids.map((pid) => [pid, cpuMs(pid)]))]));
}

/**
 * CPU each group spent between two readings, process by process: a process that started meanwhile
 * counts whole, and a Postgres backend that ended meanwhile (the pools close idle connections)
 * loses only its share of the interval, which is unreadable once it is gone. Summing each group
 * before subtracting lost all of such a backend's earlier time too, and read a lane's Postgres as 0.
 */
export function cpuSpent(before: Record<string, Map<number, number>>, after: Record<string, Map<number, number>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after).map(([group, pids]) => {
      let spent = 0;
      for (const [pid, ms] of pids) spent += ms - (before[group]?.get(pid) ?? 0);
      return [group, spent];
    }),
  );
}

/**
 * CPU ms of a process tree that ends children as it goes (Postgres: a backend per connection):
 * the process's own time, what it reaped from children that ended (cutime, cstime), and its live
 * children's. A backend that ends between two readings moves from the last term to the second,
 * so the difference of two readings keeps its time.
 */
export function treeCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / ticksPerSecond;
    return own + descendants(pid).reduce((sum, child) => sum + cpuMs(child), 0);
  } catch {
    return 0;
  }
}
