import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Db } from '../../db/client';
import { storeUnit } from '../../db/organisation';
import type { Unit } from '../../workflows/model';

/**
 * A unit of the test file's own, under the development city, covering `district`: the notices of
 * the cases it is assigned go to its people only, whatever other test files add to theirs.
 */
export async function ownUnit(db: Db, name: string, district: string): Promise<Unit> {
  const unit: Unit = { id: `${name}-${process.pid}`, name: `${name}测试分局`, level: 'district' };
  await storeUnit(db, { ...unit, parentId: 'city', districts: [district], active: true }, 'test');
  return unit;
}

export interface Received {
  to: string[];
  mail: ParsedMail;
}

/** A real SMTP server on 127.0.0.1 that keeps what it is sent, and refuses the mailboxes it is told to (550). */
export class LocalSmtp {
  readonly received: Received[] = [];
  readonly refused = new Set<string>();
  private server: SMTPServer | undefined;

  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (!this.refused.has(address.address)) return callback();
        callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
      },
      onData: (stream, session, callback) => {
        simpleParser(stream).then((mail) => {
          this.received.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        }, callback);
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  to(address: string): Received[] {
    return this.received.filter((r) => r.to.includes(address));
  }
}
