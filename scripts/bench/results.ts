/** Where a benchmark's results go: docs/performance.md, between the markers named for the benchmark. */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../lib/temporal-binaries';

const performanceDoc = path.join(projectRoot, 'docs', 'performance.md');

/** The machine a run measured, for the line above its results. */
export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, Node ${process.version}`;
}

/**
 * Replaces what is between `<!-- bench:<name> results … -->` and `<!-- /bench:<name> results -->`
 * in docs/performance.md with `report`; the markers must be there (the prose around them is the
 * method, written by hand).
 */
export function writeResults(name: string, report: string): string {
  const start = `<!-- bench:${name} results: written by npm run bench:${name} -->`;
  const end = `<!-- /bench:${name} results -->`;
  const text = readFileSync(performanceDoc, 'utf8');
  const at = text.indexOf(start);
  const until = text.indexOf(end);
  if (at < 0 || until < at) throw new Error(`${path.relative(projectRoot, performanceDoc)} has no "${start}" … "${end}" block`);
  writeFileSync(performanceDoc, `${text.slice(0, at)}${start}\n${report}\n${text.slice(until)}`);
  return path.relative(projectRoot, performanceDoc);
}
