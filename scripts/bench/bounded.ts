/**
 * Runs a benchmark's body within `boundMs`: past it, the benchmark gives up (exit status 1); either
 * way `cleanup` stops what the body started (a service, a browser, a worker).
 */
export async function runBounded(boundMs: number, log: (line: string) => void, cleanup: () => Promise<void>, body: () => Promise<void>): Promise<void> {
  const bound = setTimeout(() => {
    log(`gave up after ${boundMs / 60_000} minutes`);
    void cleanup().finally(() => process.exit(1));
  }, boundMs);
  try {
    await body();
  } finally {
    clearTimeout(bound);
    await cleanup();
  }
}
