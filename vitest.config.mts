import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/** Test files that measure the service under load: they run alone, after every other file. */
const alone = ['test/intake-burst.test.ts'];

const common: TestProjectInlineConfiguration['test'] = {
  // The Temporal native bridge does not survive worker threads (sdk-typescript#876).
  pool: 'forks',
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    // One dev server and one Postgres for every project.
    globalSetup: ['test/global-setup.ts'],
    projects: [
      { test: { ...common, name: 'suite', include: ['test/**/*.test.ts'], exclude: alone } },
      { test: { ...common, name: 'load', include: alone, sequence: { groupOrder: 1 } } },
    ],
  },
});
