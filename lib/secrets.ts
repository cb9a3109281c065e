import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { developmentKeys, loadApiKeys, type ApiKey } from './api-keys';
import { developmentPayloadKeys, parsePayloadKeys, type PayloadKeys } from './codec';
import type { Config } from './config';
import type { Logger } from './logger';

/**
 * The two secrets of the service: API keys and payload encryption keys. Production must be given
 * both; development makes its own under DATA_DIR so `npm start` works on a fresh clone.
 */

function developmentFile(config: Config, logger: Logger, name: string, variable: string): string {
  if (config.nodeEnv === 'production') throw new Error(`${variable} is required in production`);
  mkdirSync(config.dataDir, { recursive: true });
  const file = path.join(config.dataDir, name);
  logger.warn({ file }, `no ${variable}: using development keys`);
  return file;
}

export function apiKeysFor(config: Config, logger: Logger): ApiKey[] {
  if (config.apiKeysFile) return loadApiKeys(config.apiKeysFile);
  return developmentKeys(developmentFile(config, logger, 'dev-api-keys.json', 'API_KEYS_FILE')).keys;
}

/** Development only: the password of the development accounts (db/development-accounts.ts), made on first use. */
export function developmentPassword(config: Config): string {
  mkdirSync(config.dataDir, { recursive: true });
  const file = path.join(config.dataDir, 'dev-password');
  if (!existsSync(file)) writeFileSync(file, `dev-${randomBytes(9).toString('base64url')}\n`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

export function payloadKeysFor(config: Config, logger: Logger): PayloadKeys {
  if (config.payloadKeys) return parsePayloadKeys(config.payloadKeys);
  return developmentPayloadKeys(developmentFile(config, logger, 'dev-payload-keys', 'PAYLOAD_KEYS'));
}
