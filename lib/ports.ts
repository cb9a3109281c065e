import { createServer } from 'node:net';

/**
 * Refuses ports something else already listens on. Without this, a dev server orphaned by an
 * earlier run answered in place of ours: `npm start` reported ready and could not stop it.
 */
export async function checkPortsFree(ports: { name: string; host: string; port: number }[]): Promise<void> {
  for (const { name, host, port } of ports) {
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const server = createServer();
      server.once('error', resolve);
      server.listen(port, host, () => server.close(() => resolve(undefined)));
    });
    if (error?.code === 'EADDRINUSE') {
      throw new Error(
        `port ${port} (${name}) on ${host} is already in use by a process this command did not start ` +
          `(perhaps one left by an earlier run): stop it or set ${name} to a free port`,
      );
    }
    if (error) throw error;
  }
}
