// The effect protocol exists in three places: the core builds ops (cpp/core/effects.cpp for
// effects, cpp/core/context.cpp for output-record ops), the shim handles them (shim/run.js for
// output-record ops, shim/effects.js for effects, its crypto switch for crypto functions) and
// docs/ARCHITECTURE.md describes them. This test fails when one of the three names an op the
// others do not — an op built but not handled, handled but never built, or not described (or
// described but gone) — when an op is built outside those two files, when the effects table
// names a C++ type core/effects.h does not declare, or when a number the core reports to the shim
// (core_limits) is not used by it, or used but not reported.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const read = (p) => readFileSync(path.join(root, p), 'utf8');

function cppFiles(dir) {
  const out = [];
  for (const name of readdirSync(path.join(root, dir))) {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...cppFiles(rel));
    else if (/\.(cpp|h)$/.test(name)) out.push(rel);
  }
  return out;
}

const cppByFile = new Map(cppFiles('cpp').map((f) => [f, read(f)]));
const cppSource = [...cppByFile.values()].join('\n');
const matches = (text, re) => new Set([...text.matchAll(re)].map((m) => m[1]));

// `{"op", "fetch"}` and `{"fn", "sha256"}` are how the core names ops and crypto functions.
const builtOps = matches(cppSource, /\{"op",\s*"([a-z_0-9]+)"\}/g);
const builtFns = matches(cppSource, /\{"fn",\s*"([a-z_0-9]+)"\}/g);

// The case labels of one `switch (<subject>) { … }` block in a JS file.
function switchCases(file, subject) {
  const text = read(file);
  const at = text.indexOf(`switch (${subject})`);
  expect(at, `${file} has switch (${subject})`).toBeGreaterThan(-1);
  let depth = 0;
  let end = text.indexOf('{', at);
  for (let i = end; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) {
      end = i;
      break;
    }
  }
  return matches(text.slice(at, end), /case '([a-z_0-9]+)'/g);
}

const recordOps = switchCases('shim/run.js', 'op.op');
recordOps.add('respond'); // applied before the switch (respond first, then data, then the rest)
const effectOps = switchCases('shim/effects.js', 'e.op');
const cryptoFns = switchCases('shim/effects.js', 'e.fn');

const doc = read('docs/ARCHITECTURE.md');
// Table rows whose first cell starts with a backticked op name: `| \`pump {…}\` |` or `| \`d1\` |`.
const documented = matches(doc, /^\| `([a-z_0-9]+)[ `]/gm);
const cryptoRow = doc.split('\n').find((l) => l.startsWith('| `crypto`')) || '';
const documentedFns = matches(cryptoRow, /([a-z0-9_]+_sha256|sha256)/g);

const diff = (a, b) => [...a].filter((x) => !b.has(x)).sort();

const opLiteral = /\{"op",\s*"([a-z_0-9]+)"\}/g;
const effectsCpp = read('cpp/core/effects.cpp');
const contextCpp = read('cpp/core/context.cpp');
const effectsH = read('cpp/core/effects.h');

// The last cell of each effects-table row: `Fetch` → `FetchResult`, or several types.
const effectsTable = doc.slice(doc.indexOf('### Effects'), doc.indexOf('## Request lifecycle'));
const tableTypes = new Set();
for (const line of effectsTable.split('\n').filter((l) => /^\| `[a-z_0-9]+` \|/.test(l))) {
  const cells = line.split(/(?<!\\)\|/).map((c) => c.trim()).filter(Boolean);
  for (const m of cells[cells.length - 1].matchAll(/`([A-Z][A-Za-z0-9]+)`/g)) tableTypes.add(m[1]);
}
const declaredTypes = matches(effectsH, /^struct ([A-Z][A-Za-z0-9]+)\s*\{/gm);

// core_limits: the names effects.cpp's limits_json() reports, and the names the shim reads.
const limitsBody = effectsCpp.slice(effectsCpp.indexOf('std::string limits_json()'));
const reported = matches(limitsBody.slice(0, limitsBody.indexOf('\n}\n')), /\{"([a-z_]+)",\s*k[A-Z]/g);
const shimText = readdirSync(path.join(root, 'shim')).filter((f) => f.endsWith('.js')).map((f) => read(`shim/${f}`)).join('\n');
const usedLimits = matches(shimText, /\blimits\.([a-z_]+)/g);

describe('the effect protocol is one protocol', () => {
  it('finds ops on every side (the scanners still match the code)', () => {
    expect(builtOps.size).toBeGreaterThan(15);
    expect(recordOps.size).toBeGreaterThan(5);
    expect(effectOps.size).toBeGreaterThan(10);
    expect(builtFns.size).toBeGreaterThan(0);
  });

  it('every op the core builds is handled by the shim, and every handled op is built', () => {
    const handled = new Set([...recordOps, ...effectOps]);
    expect(diff(builtOps, handled), 'built by cpp/ but not handled in shim/').toEqual([]);
    expect(diff(handled, builtOps), 'handled in shim/ but never built by cpp/').toEqual([]);
  });

  it('no op name means both a record op and an effect', () => {
    expect([...recordOps].filter((o) => effectOps.has(o))).toEqual([]);
  });

  it('every op is described in docs/ARCHITECTURE.md, and every described op exists', () => {
    const handled = new Set([...recordOps, ...effectOps]);
    expect(diff(handled, documented), 'handled but not described').toEqual([]);
    // Rows of other tables (exports, settings) start with other names; only op-like rows that
    // name a handled op or nothing known are checked the other way.
    const opRows = [...documented].filter((n) => !n.startsWith('core_'));
    expect(diff(new Set(opRows), handled), 'described but not an op').toEqual([]);
  });

  it('every crypto function is built, handled and described alike', () => {
    expect(diff(builtFns, cryptoFns), 'built but not handled').toEqual([]);
    expect(diff(cryptoFns, builtFns), 'handled but never built').toEqual([]);
    expect(diff(cryptoFns, documentedFns), 'handled but not described').toEqual([]);
  });

  it('effects are built only in core/effects.cpp, record ops only in core/context.cpp', () => {
    const hasOp = (text) => /\{"op",\s*"[a-z_0-9]+"\}/.test(text);
    const elsewhere = [...cppByFile].filter(([f, text]) => !f.endsWith('core/effects.cpp') && !f.endsWith('core/context.cpp') && hasOp(text)).map(([f]) => f);
    expect(elsewhere, 'files with an {"op", …} literal').toEqual([]);
    const builtEffects = matches(effectsCpp, opLiteral);
    const builtRecord = matches(contextCpp, opLiteral);
    expect(diff(builtEffects, effectOps), 'built in effects.cpp, not an effect in shim/effects.js').toEqual([]);
    expect(diff(effectOps, builtEffects), 'an effect in shim/effects.js, not built in effects.cpp').toEqual([]);
    expect(diff(builtRecord, recordOps), 'built in context.cpp, not a record op in shim/run.js').toEqual([]);
  });

  it('every C++ type the effects table names is declared in core/effects.h', () => {
    expect(tableTypes.size).toBeGreaterThan(15);
    expect(diff(tableTypes, declaredTypes), 'named in docs, not declared').toEqual([]);
  });

  it('the shim uses every number the core reports, and reads no other', () => {
    expect(reported.size).toBeGreaterThan(0);
    expect(diff(reported, usedLimits), 'reported by core_limits, unused by the shim').toEqual([]);
    expect(diff(usedLimits, reported), 'read by the shim, not reported by core_limits').toEqual([]);
  });
});
