// Worker tests: run inside workerd with the real wasm core, the migrated local D1 and KV.
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';

const root = path.resolve(import.meta.dirname, '../..');

export default defineConfig({
  root,
  plugins: [
    cloudflareTest(async () => ({
      main: './shim/index.js',
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(path.join(root, 'migrations')),
          G2A_TEST_HOOKS: '1',
        },
      },
    })),
  ],
  test: {
    include: ['tests/workers/**/*.test.js'],
    setupFiles: ['./tests/workers/apply-migrations.js'],
    testTimeout: 20000,
  },
});
