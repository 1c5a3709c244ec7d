// The effect protocol exists in three places: the core builds ops (cpp/), the shim handles
// them (shim/run.js for output-record ops, shim/effects.js for effects, its crypto switch for
// crypto functions) and docs/ARCHITECTURE.md describes them. This test fails when one of the
// three names an op the others do not — an op built but not handled, handled but never built,
// or not described (or described but gone).
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

const cppSource = cppFiles('cpp').map(read).join('\n');
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
});
