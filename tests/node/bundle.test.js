// Bundle budget inside npm test: the dry-run upload must build and stay under
// bench/bundle-budget.json (gzip); the measured line is printed into the test log.
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(import.meta.dirname, '../..');
const script = path.join(root, 'scripts/bundle-check.mjs');
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'g2a-bundle-test-'));
const check = (...args) => spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8', timeout: 180000 });
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe('bundle budget', () => {
  it('the budget file is sane: a positive gzip budget within the free plan limit (3 MiB)', () => {
    const { gzip_bytes } = JSON.parse(fs.readFileSync(path.join(root, 'bench/bundle-budget.json'), 'utf8'));
    expect(Number.isInteger(gzip_bytes)).toBe(true);
    expect(gzip_bytes).toBeGreaterThan(0);
    expect(gzip_bytes).toBeLessThanOrEqual(3 * 1024 * 1024);
  });

  it('wrangler deploy --dry-run --outdir succeeds and the upload is under budget', () => {
    const r = check('--outdir', outdir);
    console.log(r.stdout.trim());
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^bundle: \d+ files, [\d.]+ KiB raw, [\d.]+ KiB gzip -9 \(\d+ B\); budget [\d.]+ KiB gzip \(\d+%\) \[wrangler: .*\]: ok$/m);
    expect(fs.readdirSync(outdir).some((f) => f.endsWith('.wasm'))).toBe(true);
  }, 180000);

  it('exits 1 and says OVER BUDGET when the upload exceeds the budget', () => {
    const tight = path.join(outdir, '..', `${path.basename(outdir)}-budget.json`);
    fs.writeFileSync(tight, JSON.stringify({ gzip_bytes: 1024 }));
    try {
      const r = check('--from', outdir, '--budget', tight);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/OVER BUDGET$/m);
    } finally {
      fs.rmSync(tight, { force: true });
    }
  });

  it('exits 2 on a failed dry run', () => {
    const r = check('--config', 'does-not-exist.toml', '--outdir', path.join(outdir, 'x'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/dry-run failed/);
  }, 60000);
});
