#!/usr/bin/env node
// Copies the admin app's vendored browser library (uPlot, a pinned devDependency) from
// node_modules into admin/vendor/, where the static asset layer serves it as /vendor/….
// Idempotent: files already identical are left alone. Usage: node scripts/build-admin.mjs
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(path.join(root, 'package.json'));
const out = path.join(root, 'admin/vendor');

const pkgDir = path.dirname(require.resolve('uplot/package.json'));
const files = [
  ['dist/uPlot.iife.min.js', 'uPlot.iife.min.js'],
  ['dist/uPlot.min.css', 'uPlot.min.css'],
  ['LICENSE', 'uPlot.LICENSE.txt'],
];

mkdirSync(out, { recursive: true });
let copied = 0;
for (const [from, to] of files) {
  const src = readFileSync(path.join(pkgDir, from));
  const dest = path.join(out, to);
  if (existsSync(dest) && readFileSync(dest).equals(src)) continue;
  writeFileSync(dest, src);
  copied++;
}
const { version } = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
console.log(`build-admin: uPlot ${version} in admin/vendor (${copied} file${copied === 1 ? '' : 's'} updated)`);
