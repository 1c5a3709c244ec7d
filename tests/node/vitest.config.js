// Plain Node tests, in two suites (G2A_NODE_SUITE): `product` — the gateway's own code outside a
// Worker runtime (admin app XSS defences, the core's stack, SQL parameters) — and `tooling` —
// tests of the test and deploy tooling (the fake upstream, ci-config, workflow lint, the bundle
// check, the benchmark's JS baseline), counted apart so the product's count is the product's.
// Without G2A_NODE_SUITE both run.
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export const TOOLING = ['fake-grok', 'fake-grok-tools', 'ci-config', 'workflows', 'bundle', 'bench-baseline', 'test-report'].map((n) => `tests/node/${n}.test.js`);
const suite = process.env.G2A_NODE_SUITE;

export default defineConfig({
  root: path.resolve(import.meta.dirname, '../..'),
  test: {
    include: suite === 'tooling' ? TOOLING : ['tests/node/**/*.test.js'],
    exclude: suite === 'product' ? TOOLING : [],
    environment: 'node',
    testTimeout: 30000,
  },
});
