// End-to-end tests: real clients (openai npm, fetch) against `wrangler dev` + the fake upstream.
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: path.resolve(import.meta.dirname, '../..'),
  test: {
    include: ['tests/e2e/**/*.test.js'],
    globalSetup: ['tests/e2e/global-setup.js'],
    environment: 'node',
    testTimeout: 30000,
    hookTimeout: 90000,
    fileParallelism: false,
  },
});
