// Plain Node tests: the fake upstream's own tests and shim units that need no Worker runtime.
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: path.resolve(import.meta.dirname, '../..'),
  test: {
    include: ['tests/node/**/*.test.js'],
    environment: 'node',
    testTimeout: 30000,
  },
});
