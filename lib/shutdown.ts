/**
 * Calls `stop` on the first SIGINT or SIGTERM and ignores the ones after it, which would otherwise
 * kill the process halfway through stopping: Ctrl-C reaches both npm and this process, and npm
 * forwards it once more.
 */
export function onStopSignal(stop: (signal: NodeJS.Signals) => void): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      stop(signal);
    });
  }
}
