/**
 * `npm run calendar:publish -- <file.json>`: loads a year's official holiday schedule and makes
 * running cases recompute their provisional deadlines. The file holds one calendar year:
 * { "year": 2027, "status": "official", "source": "国务院办公厅通知 …", "holidays": [...], "workdays": [...] }.
 */
import { readFileSync } from 'node:fs';
import { createDatabase } from '../db/client';
import { parseCalendarYear } from '../lib/calendar-data';
import { publishCalendarYear } from '../lib/calendar-publish';
import { loadConfig, requireDatabaseUrl } from '../lib/config';
import { dataConverterFor } from '../lib/codec';
import { createLogger } from '../lib/logger';
import { payloadKeysFor } from '../lib/secrets';
import { connectClient } from '../lib/temporal';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: npm run calendar:publish -- <file.json>');
  const year = parseCalendarYear(JSON.parse(readFileSync(file, 'utf8')));
  const config = loadConfig();
  const database = createDatabase(requireDatabaseUrl(config), { max: 2 });
  const client = await connectClient(config, dataConverterFor(payloadKeysFor(config, createLogger(config))));
  try {
    const { failed } = await publishCalendarYear(database.db, client, year, (line) => console.log(`[calendar] ${line}`));
    for (const line of failed) console.error(`[calendar] ${line}`);
    if (failed.length > 0) process.exitCode = 1;
  } finally {
    await client.connection.close();
    await database.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
