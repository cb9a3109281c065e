import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { allSearchAttributes } from '../workflows/search-attributes';
import { describeBinary, resolveTemporalBinary, sdkExecutable } from './temporal-binaries';

export interface DevServerOptions {
  address: string;
  namespace: string;
  uiPort?: number;
  /**
   * Serves the UI under this path (`--ui-public-path`), for the API to pass it on at the same path
   * (api/routes/temporal-ui.ts).
   */
  uiPublicPath?: string;
  /** The codec the UI decodes payloads with (`--ui-codec-endpoint`); a path is on the UI's own origin. */
  uiCodecEndpoint?: string;
  /** A file keeps workflows across restarts; in memory when omitted (tests). */
  dbFile?: string;
  log?: (line: string) => void;
}

/**
 * The Temporal dev server (`temporal server start-dev`) with the service's search attributes,
 * started from the binary this project installed. The SDK owns the child process and stops it
 * on teardown.
 */
export async function startDevServer(options: DevServerOptions): Promise<TestWorkflowEnvironment> {
  const [ip, port] = options.address.split(':');
  const cli = resolveTemporalBinary('cli', { log: options.log });
  options.log?.(`dev server binary: ${describeBinary(cli)}`);
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: sdkExecutable(cli),
      ip,
      port: Number(port),
      namespace: options.namespace,
      searchAttributes: [...allSearchAttributes],
      ...(options.uiPort ? { ui: true, uiPort: options.uiPort } : { ui: false }),
      ...(options.dbFile ? { dbFilename: path.resolve(options.dbFile) } : {}),
      // File persistence is slow without these; the SDK's own CI runs the dev server so.
      extraArgs: [
        '--sqlite-pragma',
        'journal_mode=WAL',
        '--sqlite-pragma',
        'synchronous=NORMAL',
        '--log-level',
        'warn',
        ...(options.uiPort && options.uiPublicPath ? ['--ui-public-path', options.uiPublicPath] : []),
        ...(options.uiPort && options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
      ],
    },
  });
}
