/**
 * The JavaScript heap a node process holds once its garbage is collected, read through its
 * inspector: what resident memory alone cannot tell, since V8 collects in steps and keeps pages it
 * freed. A Temporal worker runs its workflows in worker threads, each an isolate of its own, so
 * every thread is collected and counted, not only the main one.
 *
 * The process is started with `--inspect-port=<port>` (NODE_OPTIONS) and opens its inspector on
 * that port only when it receives SIGUSR1, which `openInspector` sends: a worker that is never
 * measured never listens.
 */

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
}

/** NODE_OPTIONS naming the port a process opens its inspector on when sent SIGUSR1. */
export const inspectOn = (port: number) => `${process.env.NODE_OPTIONS ?? ''} --inspect-port=127.0.0.1:${port}`.trim();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends SIGUSR1 and waits (bounded) until the inspector answers on `port`: its WebSocket address. */
async function openInspector(pid: number, port: number): Promise<string> {
  process.kill(pid, 'SIGUSR1');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const targets = await fetch(`http://127.0.0.1:${port}/json/list`)
      .then((r) => r.json() as Promise<{ webSocketDebuggerUrl: string }[]>)
      .catch(() => undefined);
    if (targets?.[0]) return targets[0].webSocketDebuggerUrl;
    if (Date.now() > deadline) throw new Error(`process ${pid} opened no inspector on port ${port} within 10 s`);
    await sleep(100);
  }
}

/** A Chrome DevTools Protocol session on one WebSocket, with its worker threads reached through NodeWorker. */
class Session {
  private next = 0;
  private readonly pending = new Map<number, (message: Message) => void>();
  /** Answers from worker threads, by their session and the id they were asked with. */
  private readonly pendingInWorkers = new Map<string, (message: Message) => void>();
  readonly workers: string[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => this.receive(JSON.parse(String(event.data)) as Message));
  }

  static async open(url: string): Promise<Session> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true });
      socket.addEventListener('error', () => reject(new Error(`could not open ${url}`)), { once: true });
    });
    return new Session(socket);
  }

  private receive(message: Message): void {
    if (message.id !== undefined) {
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    } else if (message.method === 'NodeWorker.attachedToWorker') {
      this.workers.push(String(message.params?.sessionId));
    } else if (message.method === 'NodeWorker.receivedMessageFromWorker') {
      const inner = JSON.parse(String(message.params?.message)) as Message;
      const key = `${String(message.params?.sessionId)}/${inner.id}`;
      this.pendingInWorkers.get(key)?.(inner);
      this.pendingInWorkers.delete(key);
    }
  }

  private static answer(message: Message): Record<string, unknown> {
    if (message.error) throw new Error(message.error.message);
    return message.result ?? {};
  }

  async send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = ++this.next;
    const answered = new Promise<Message>((resolve) => this.pending.set(id, resolve));
    this.socket.send(JSON.stringify({ id, method, params }));
    return Session.answer(await answered);
  }

  async sendToWorker(sessionId: string, method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = ++this.next;
    const answered = new Promise<Message>((resolve) => this.pendingInWorkers.set(`${sessionId}/${id}`, resolve));
    await this.send('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params }) });
    return Session.answer(await answered);
  }

  close(): void {
    this.socket.close();
  }
}

/** Collects the garbage of one isolate, twice (what the first frees may free more), and reads what it still uses. */
async function usedAfterCollection(ask: (method: string) => Promise<Record<string, unknown>>): Promise<number> {
  await ask('HeapProfiler.enable');
  await ask('HeapProfiler.collectGarbage');
  await ask('HeapProfiler.collectGarbage');
  return Number((await ask('Runtime.getHeapUsage')).usedSize ?? 0);
}

/** A process's JavaScript heap after collection, in KiB: its main thread and every worker thread summed. */
export async function collectedHeap(pid: number, port: number): Promise<{ kiB: number; threads: number }> {
  const session = await Session.open(await openInspector(pid, port));
  try {
    // The running threads are attached (an event each) before this answers.
    await session.send('NodeWorker.enable', { waitForDebuggerOnStart: false });
    let used = await usedAfterCollection((method) => session.send(method));
    for (const worker of session.workers) used += await usedAfterCollection((method) => session.sendToWorker(worker, method));
    return { kiB: used / 1024, threads: 1 + session.workers.length };
  } finally {
    session.close();
  }
}
