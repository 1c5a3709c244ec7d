// Worker tests: run inside workerd with the real wasm core, the migrated local D1 and KV, and
// the fake Grok upstream (started by the global setup on a port chosen here) as GROK_BASE_URL.
import net from 'node:net';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';

const root = path.resolve(import.meta.dirname, '../..');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const ports = process.env.G2A_FAKE_PORTS
  ? process.env.G2A_FAKE_PORTS.split(',').map(Number)
  : [await freePort(), await freePort(), await freePort()];
process.env.G2A_FAKE_PORTS = ports.join(',');

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
          G2A_TRACE: process.env.G2A_TRACE || '',
          GROK_BASE_URL: `http://127.0.0.1:${ports[0]}`,
          GROK_ASSETS_URL: `http://127.0.0.1:${ports[1]}`,
          GROK_PUBLIC_MEDIA_URL: `http://127.0.0.1:${ports[2]}`,
          FAKE_GROK_URL: `http://127.0.0.1:${ports[0]}`,
          FAKE_ASSETS_URL: `http://127.0.0.1:${ports[1]}`,
          FAKE_PUBLIC_URL: `http://127.0.0.1:${ports[2]}`,
        },
        // A service binding to a small relay Worker (egress.test.js: grok_*_url = binding:GROK_RELAY).
        serviceBindings: { GROK_RELAY: 'grok-relay' },
        workers: [{ name: 'grok-relay', modules: true, scriptPath: path.join(root, 'tests/workers/relay-worker.js'), compatibilityDate: '2026-01-28' }],
      },
    })),
  ],
  test: {
    include: ['tests/workers/**/*.test.js'],
    setupFiles: ['./tests/workers/apply-migrations.js'],
    globalSetup: ['./tests/workers/global-setup.js'],
    testTimeout: 30000,
  },
});
