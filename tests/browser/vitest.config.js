// Browser tests of the admin web app and the playground: headless Debian Chromium driven by
// playwright-core against `wrangler dev` + the fake Grok upstream (the e2e global setup).
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: path.resolve(import.meta.dirname, '../..'),
  test: {
    include: ['tests/browser/**/*.test.js'],
    globalSetup: ['tests/browser/global-setup.js'],
    environment: 'node',
    testTimeout: 60000,
    hookTimeout: 120000,
    fileParallelism: false,
  },
});
