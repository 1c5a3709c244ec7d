#!/usr/bin/env node
// Counts one suite's results for scripts/test.sh and holds it to the rules:
//   - a skipped, todo or disabled test fails the run unless tests/skips.allowed lists it (suite,
//     full name, reason);
//   - a suite that ran fewer tests than its minimum fails (an empty glob, a config that matches
//     nothing, a build that lost its tests);
//   - a report that cannot be read counts as one failure.
//
//   node scripts/test-report.mjs vitest <report.json> <suite> <min>
//   node scripts/test-report.mjs ctest <ctest.log> <suite> <min>
// Prints "<passed> <failed> <skipped>" on stdout and the reasons for any failure it adds on stderr.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function allowedSkips(text) {
  const out = new Set();
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const [suite, name, reason] = line.split('|').map((x) => x.trim());
    if (suite && name && reason) out.add(`${suite}|${name}`);
  }
  return out;
}

// {passed, failed, skipped: [names]} from a Vitest JSON report.
export function fromVitest(report) {
  let passed = 0;
  let failed = 0;
  const skipped = [];
  for (const file of report.testResults || []) {
    // A file that failed to load has no assertions but must count.
    if (file.status === 'failed' && (!file.assertionResults || file.assertionResults.length === 0)) failed++;
    for (const a of file.assertionResults || []) {
      if (a.status === 'passed') passed++;
      else if (a.status === 'failed') failed++;
      else skipped.push(a.fullName || a.title); // pending, skipped, todo
    }
  }
  return { passed, failed, skipped };
}

// {passed, failed, skipped: [names]} from ctest's output: tests that did not run (GTEST_SKIP
// through SKIP_REGULAR_EXPRESSION, DISABLED_ tests) are skipped, not passed.
export function fromCtest(log) {
  const m = /(\d+)% tests passed, (\d+) tests? failed out of (\d+)/.exec(log);
  if (!m) return null;
  const failed = Number(m[2]);
  const total = Number(m[3]);
  const skipped = [];
  const section = log.split('The following tests did not run:')[1] || '';
  for (const line of section.split('\n')) {
    const s = /^\s*\d+\s+-\s+(.+?)\s+\((Skipped|Disabled|Not Run)\)\s*$/.exec(line);
    if (s) skipped.push(s[1]);
  }
  return { passed: total - failed - skipped.length, failed, skipped };
}

function main([kind, file, suite, min]) {
  let r = null;
  try {
    const text = fs.readFileSync(file, 'utf8');
    r = kind === 'vitest' ? fromVitest(JSON.parse(text)) : fromCtest(text);
  } catch {
    r = null;
  }
  if (!r) {
    console.error(`${suite}: no readable report in ${file}`);
    console.log('0 1 0');
    return;
  }
  let allowed = new Set();
  try {
    allowed = allowedSkips(fs.readFileSync(path.join(root, 'tests/skips.allowed'), 'utf8'));
  } catch {
    /* no list: nothing may be skipped */
  }
  let failed = r.failed;
  for (const name of r.skipped) {
    if (allowed.has(`${suite}|${name}`)) continue;
    console.error(`${suite}: skipped but not in tests/skips.allowed: ${name}`);
    failed++;
  }
  const ran = r.passed + r.failed;
  if (ran < Number(min)) {
    console.error(`${suite}: ran ${ran} tests, fewer than its minimum of ${min}`);
    failed++;
  }
  console.log(`${r.passed} ${failed} ${r.skipped.length}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
