import pino, { type DestinationStream, type Logger } from 'pino';
import { DefaultLogger, Runtime, type LogLevel, type LogMetadata } from '@temporalio/worker';
import { redactDbError } from '../db/errors';
import type { Config } from './config';

export type { Logger };

/**
 * Paths never written to a log line: API keys, and the complainant's identity and contact,
 * wherever they appear in a logged object.
 */
export const redactedPaths = ['req.headers.authorization', 'req.headers["x-api-key"]', 'complainant', '*.complainant', '*.*.complainant'];

/**
 * One logger for the API and the worker: JSON in production, pretty lines in development.
 * `destination` is for tests that read what was logged.
 */
export function createLogger(config: Pick<Config, 'nodeEnv' | 'logLevel'>, destination?: DestinationStream): Logger {
  // A failed query's error carries its SQL parameters: logged errors keep only what is safe.
  const errorSerializer = (err: unknown) => pino.stdSerializers.err(redactDbError(err) as Error);
  const options = {
    level: config.logLevel,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: { err: errorSerializer, error: errorSerializer },
  };
  if (destination) return pino(options, destination);
  return pino({
    ...options,
    ...(config.nodeEnv === 'development' && prettyPrinterInstalled()
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  });
}

/**
 * pino-pretty is a development dependency: an install without it (`npm ci --omit=dev`, the
 * Docker image) logs JSON even when NODE_ENV is left at `development`, rather than failing to start.
 */
function prettyPrinterInstalled(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

let installed = false;

/**
 * Sends the Temporal SDK's own logs (worker, workflow and activity loggers, and the native core's
 * lines) into our pino logger, so ops read one stream. The Runtime is process-wide and can be
 * installed only once, before any worker or native connection exists.
 */
export function forwardTemporalLogs(logger: Logger): void {
  if (installed) return;
  installed = true;
  const temporal = logger.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger('INFO', ({ level, message, meta }) => {
      temporal[levels[level]](stripTimestamp(meta), message);
    }),
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
}

function stripTimestamp(meta: LogMetadata | undefined): LogMetadata {
  if (!meta) return {};
  const { timestamp: _ignored, ...rest } = meta as LogMetadata & { timestamp?: unknown };
  return rest;
}
