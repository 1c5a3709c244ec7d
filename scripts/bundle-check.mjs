#!/usr/bin/env node
// Bundle budget: runs `wrangler deploy --dry-run --outdir`, sums the size of what would be
// uploaded (each file raw and gzip -9), prints one line against bench/bundle-budget.json and
// exits 1 when the gzip total is over budget (2 on a failed dry run or a bad budget file).
//
// Usage: node scripts/bundle-check.mjs [--config wrangler.toml] [--budget bench/bundle-budget.json]
//          [--outdir DIR (kept)] [--from DIR (measure an existing outdir, no wrangler run)]
// Counted: every file wrangler writes to the outdir except its README.md note and source maps
// (not uploaded unless upload_source_maps is set). Static assets (admin/) are uploaded apart
// and do not count towards the Worker size limit (3 MiB gzip on the free plan, 10 MiB paid).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KiB = 1024;
const kib = (n) => `${(n / KiB).toFixed(1)} KiB`;

function parseArgs(argv) {
  const opts = { config: 'wrangler.toml', budget: 'bench/bundle-budget.json' };
  for (let i = 0; i < argv.length; i++) {
    const name = { '--config': 'config', '--budget': 'budget', '--outdir': 'outdir', '--from': 'from' }[argv[i]];
    if (!name || argv[i + 1] === undefined) throw new Error(`bundle-check: bad argument ${argv[i]}`);
    opts[name] = argv[++i];
  }
  return opts;
}

function listFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p) : [p];
  });
}

/** Raw and gzip -9 sizes of the files that would be uploaded from `outdir`. */
export function measure(outdir) {
  const files = listFiles(outdir).filter((f) => !f.endsWith('.map') && path.relative(outdir, f) !== 'README.md');
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const buf = fs.readFileSync(f);
    raw += buf.length;
    gzip += zlib.gzipSync(buf, { level: 9 }).length;
  }
  return { files: files.length, raw, gzip };
}

export function dryRun(config, outdir) {
  const wrangler = path.join(root, 'node_modules/wrangler/bin/wrangler.js');
  const env = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' };
  const r = spawnSync(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', outdir, '--config', config],
    { cwd: root, env, encoding: 'utf8', timeout: 180000 });
  if (r.status !== 0) {
    process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `${r.error}\n` : ''}`);
    throw new Error('bundle-check: wrangler deploy --dry-run failed');
  }
  const m = /Total Upload: ([\d.]+ \w+) \/ gzip: ([\d.]+ \w+)/.exec(r.stdout);
  return m ? `wrangler: ${m[1]} / gzip ${m[2]}` : 'wrangler: no size line';
}

function main(argv) {
  const opts = parseArgs(argv);
  const budgetFile = path.resolve(root, opts.budget);
  const budget = JSON.parse(fs.readFileSync(budgetFile, 'utf8')).gzip_bytes;
  if (!Number.isInteger(budget) || budget <= 0) throw new Error(`bundle-check: ${opts.budget} needs a positive integer gzip_bytes`);

  let note = 'measured an existing outdir';
  let outdir = opts.from ? path.resolve(opts.from) : opts.outdir ? path.resolve(opts.outdir) : null;
  const temporary = !outdir;
  if (!opts.from) {
    if (!fs.existsSync(path.join(root, 'build/wasm/core.wasm'))) throw new Error('bundle-check: build/wasm/core.wasm is missing; run `npm run build` first');
    outdir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'g2a-bundle-'));
    note = dryRun(path.resolve(root, opts.config), outdir);
  }
  try {
    const m = measure(outdir);
    const over = m.gzip > budget;
    const pct = Math.round((100 * m.gzip) / budget);
    console.log(`bundle: ${m.files} files, ${kib(m.raw)} raw, ${kib(m.gzip)} gzip -9 (${m.gzip} B); ` +
      `budget ${kib(budget)} gzip (${pct}%) [${note}]: ${over ? 'OVER BUDGET' : 'ok'}`);
    return over ? 1 : 0;
  } finally {
    if (temporary) fs.rmSync(outdir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    console.error(err.message);
    process.exitCode = 2;
  }
}
