import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadConfigFor, variables } from '../lib/config';
import { mergePolicy } from '../lib/policy';
import { defaultPolicy } from '../workflows/policy';

describe('configuration', () => {
  it('has a default for everything but the optional values', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      temporalAddress: '127.0.0.1:7233',
      temporalNamespace: 'default',
      taskQueue: 'complaints',
      apiHost: '127.0.0.1',
      apiPort: 3000,
      temporalUiPort: 8233,
    });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('reports every bad value at once, each with its variable and what is expected', () => {
    let error: unknown;
    try {
      loadConfig({ API_PORT: '70000', TEMPORAL_ADDRESS: 'localhost', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/API_PORT="70000" must be a TCP port/);
    expect(problems.join('\n')).toMatch(/TEMPORAL_ADDRESS="localhost" must be host:port/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL="mysql:\/\/x" must use the postgres:\/\/ scheme/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL="loud" must be one of/);
  });

  it('checks the payload keys at startup without repeating them, and requires them in production', () => {
    const short = `k1:${Buffer.alloc(16, 7).toString('base64')}`;
    expect(() => loadConfig({ PAYLOAD_KEYS: short })).toThrow(/PAYLOAD_KEYS=\(not shown\) key k1 must be 32 bytes/);
    expect(() => loadConfig({ PAYLOAD_KEYS: short })).not.toThrow(new RegExp(short.slice(3, 12)));
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db:5432/complaints' };
    expect(() => loadConfigFor('worker', production)).toThrow(/PAYLOAD_KEYS is required in production/);
    expect(() => loadConfigFor('worker', { ...production, PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` })).not.toThrow();
    expect(() => loadConfigFor('worker', { NODE_ENV: 'development' })).toThrow(/DATABASE_URL is required here/);
  });

  it('is documented in the README table, variable by variable, with the same defaults', () => {
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    for (const v of variables) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${v.name}\``));
      expect(row, `README row for ${v.name}`).toBeDefined();
      expect(row).toContain(v.default === undefined ? '(unset)' : `\`${v.default}\``);
    }
  });
});

describe('policy', () => {
  it('merges a deployment override over the defaults', () => {
    const policy = mergePolicy({ version: 'city-2027', handlingWorkingDays: 10, dispatchWorkingDays: { wechat: 1 } });
    expect(policy.handlingWorkingDays).toBe(10);
    expect(policy.dispatchWorkingDays).toEqual({ ...defaultPolicy.dispatchWorkingDays, wechat: 1 });
    expect(policy.callbackAttempts).toBe(defaultPolicy.callbackAttempts);
  });

  it('rejects unknown settings, wrong types and an unchanged version', () => {
    expect(() => mergePolicy({ version: 'x', handlingDays: 3 })).toThrow(/unknown setting "handlingDays"/);
    expect(() => mergePolicy({ version: 'x', spotCheckRate: 'high' })).toThrow(/"spotCheckRate" must be a number/);
    expect(() => mergePolicy({ spotCheckRate: 0.5 })).toThrow(/"version" must be set/);
  });
});
