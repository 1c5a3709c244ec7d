// SQL is parameterised: a source scan of the core (cpp/) and the shim. Every SQL string
// literal numbers its placeholders (?1, ?2 …, never a bare ?), no literal splices a value
// between quotes ("… = '" + x + "'"), and anything concatenated to SQL text is either
// std::to_string of a number or a named SQL fragment listed below, whose own definitions are
// in turn built only from literals, numbers, placeholders and other listed fragments — so
// request data can only ever travel as a bound parameter. The shim binds every statement's
// params and builds no SQL itself.
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

// Fragments of SQL text that are concatenated into statements, per file, with what they hold.
const FRAGMENTS = {
  'cpp/admin/tokens_api.cpp': { kTokenColumns: 'column list', kBucketColumns: 'column list', sets: 'col = ?N pairs' },
  'cpp/admin/token_actions.cpp': { kBucketColumns: 'column list' },
  'cpp/admin/keys_api.cpp': { sets: 'col = ?N pairs' },
  'cpp/admin/keys_view.cpp': { kKeyColumns: 'column list' },
  'cpp/admin/login_throttle.cpp': { restart: 'condition on ?N' },
  'cpp/admin/logs_query.cpp': { where: 'conditions on ?N', c: 'one condition', a: '?N', b: '?N', k: '?N' },
  'cpp/admin/stats_query.cpp': { from: 'FROM … WHERE on ?N', kSuccess: 'SUM expression', percentile_sql: 'subquery on ?N' },
  'cpp/app/media_cleanup.cpp': { in: '?N list' },
  'cpp/app/video_store.cpp': { kColumns: 'column list' },
  'cpp/pool/token_pool.cpp': { rank: 'CASE expression (kTierRank)' },
};
// Names a fragment may be built from besides literals, numbers and other fragments.
const BUILDING_BLOCKS = new Set(['std', 'string', 'to_string', 'col', 'p', 'kTierRank', 'params', 'pct', 'i']);
// Fragments that are functions (their returns are checked) or lambda parameters (the
// arguments of every call are checked).
const FUNCTIONS = new Set(['percentile_sql']);
const LAMBDA_ARGS = { c: 'cond' };

const SQL_WORDS = /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|WHERE|VALUES|ORDER BY|LIMIT|BETWEEN|UNION|FROM|SET|AND|OR|IN|COALESCE|RETURNING|ON CONFLICT)\b/;

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

// The source with comments blanked out (string and char literals kept, offsets preserved).
function stripComments(src) {
  let out = '';
  let i = 0;
  while (i < src.length) {
    if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') (out += ' '), i++;
    } else if (src.startsWith('/*', i)) {
      while (i < src.length && !src.startsWith('*/', i)) (out += src[i] === '\n' ? '\n' : ' '), i++;
      out += '  ';
      i += 2;
    } else if (src[i] === '"' || src[i] === "'") {
      const q = src[i];
      let j = i + 1;
      while (j < src.length && src[j] !== q) j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else {
      out += src[i++];
    }
  }
  return out;
}

// Removes string literals and balanced calls of the named functions from an expression.
function strip(expr, calls) {
  let s = expr.replace(/"(?:[^"\\]|\\.)*"/g, ' ');
  for (const name of calls) {
    let at;
    while ((at = s.search(new RegExp(`\\b${name}\\s*\\(`))) >= 0) {
      let depth = 0;
      let j = s.indexOf('(', at);
      for (; j < s.length; j++) {
        if (s[j] === '(') depth++;
        if (s[j] === ')' && --depth === 0) break;
      }
      s = `${s.slice(0, at)} ${s.slice(j + 1)}`;
    }
  }
  return s;
}

const files = walk(path.join(root, 'cpp'))
  .filter((f) => /\.(cpp|h)$/.test(f))
  .map((f) => ({ rel: path.relative(root, f).split(path.sep).join('/'), src: stripComments(fs.readFileSync(f, 'utf8')) }));

// Every SQL-looking literal with the operands concatenated right before and after it.
function sqlLiterals() {
  const out = [];
  for (const { rel, src } of files) {
    const re = /"((?:[^"\\]|\\.)*)"/g;
    let m;
    while ((m = re.exec(src))) {
      if (!SQL_WORDS.test(m[1])) continue;
      const before = src.slice(Math.max(0, m.index - 80), m.index);
      const after = src.slice(m.index + m[0].length, m.index + m[0].length + 80);
      const b = before.match(/([\w:.]+(?:\([^()]*\))?)\s*\+\s*$/);
      const a = after.match(/^\s*\+\s*([\w:.]+(?:\([^()]*(?:\([^()]*\))?[^()]*\))?)/);
      out.push({ file: rel, text: m[1], operands: [b && b[1], a && a[1]].filter(Boolean), line: src.slice(0, m.index).split('\n').length });
    }
  }
  return out;
}

describe('SQL in the core is parameterised', () => {
  const lits = sqlLiterals();

  it('finds the statements (the scan works)', () => {
    expect(lits.length).toBeGreaterThan(60);
    expect(lits.some((l) => l.text.startsWith('INSERT INTO request_logs'))).toBe(true);
  });

  it('numbers every placeholder (?1, ?2 …; no bare ?)', () => {
    const bad = lits.filter((l) => /\?(?!\d)/.test(l.text.replace(/'[^']*'/g, "''")));
    expect(bad.map((l) => `${l.file}:${l.line} ${l.text}`)).toEqual([]);
  });

  it('never splices a value between SQL quotes', () => {
    const bad = lits.filter(
      (l) => (/'\s*$/.test(l.text) && l.operands.length && (l.text.match(/'/g) || []).length % 2 === 1) || /^\s*'/.test(l.text),
    );
    expect(bad.map((l) => `${l.file}:${l.line} ${l.text}`)).toEqual([]);
  });

  it('concatenates only numbers and listed SQL fragments to SQL text', () => {
    const bad = [];
    for (const l of lits)
      for (const op of l.operands) {
        if (/^std::to_string\(/.test(op)) continue;
        const name = op.replace(/\(.*$/, '');
        if (FRAGMENTS[l.file] && name in FRAGMENTS[l.file]) continue;
        bad.push(`${l.file}:${l.line} "${l.text.slice(0, 50)}" + ${op}`);
      }
    expect(bad).toEqual([]);
  });

  it('builds every listed fragment from literals, numbers, placeholders and other fragments only', () => {
    const bad = [];
    for (const [file, names] of Object.entries(FRAGMENTS)) {
      const { src } = files.find((f) => f.rel === file) ?? { src: '' };
      expect(src, file).not.toBe('');
      for (const name of Object.keys(names)) {
        const defs = [];
        // Definitions: `std::string name = …;`, `const char *name = …;`, `name += …;`; for a
        // function, its return expressions; for a lambda parameter, the arguments it is called with.
        const decl = new RegExp(`(?:std::string\\s+|const char\\s*\\*\\s*|auto\\s+)${name}\\s*=\\s*([^;]*);`, 'g');
        const append = new RegExp(`(?<![\\w.])${name}\\s*\\+=\\s*([^;]*);`, 'g');
        for (const re of [decl, append]) for (const m of src.matchAll(re)) defs.push(m[1]);
        if (FUNCTIONS.has(name)) {
          const body = src.match(new RegExp(`\\b${name}\\s*\\([^)]*\\)\\s*\\{([\\s\\S]*?)\\n\\}`));
          if (body) for (const r of body[1].matchAll(/return\s+([^;]*);/g)) defs.push(r[1]);
        }
        if (LAMBDA_ARGS[name]) for (const m of src.matchAll(new RegExp(`\\b${LAMBDA_ARGS[name]}\\(([^;]*)\\);`, 'g'))) defs.push(m[1]);
        for (const f of files.filter((x) => x.rel.endsWith('.h'))) {
          const h = f.src.match(new RegExp(`const char\\s*\\*\\s*${name}\\s*=\\s*([^;]*);`));
          if (h) defs.push(h[1]);
        }
        if (!defs.length) bad.push(`${file}: no definition of ${name} found`);
        const allowed = new Set([...BUILDING_BLOCKS, ...Object.keys(names), 'const', 'char', 'auto', 'inline', 'constexpr']);
        for (const d of defs) {
          const rest = strip(d, ['std::to_string', 'to_string', 'p']).replace(/\.\w+\(\)/g, ' ');
          for (const id of rest.match(/[A-Za-z_]\w*/g) ?? []) if (!allowed.has(id)) bad.push(`${file}: ${name} built from ${id}: ${d.trim().slice(0, 80)}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('passes only literal column names to the SET builders', () => {
    for (const file of ['cpp/admin/tokens_api.cpp', 'cpp/admin/keys_api.cpp']) {
      const { src } = files.find((f) => f.rel === file);
      const calls = [...src.matchAll(/\badd\(\s*([^,]*),/g)].map((m) => m[1].trim());
      expect(calls.length, file).toBeGreaterThan(0);
      for (const c of calls) {
        if (c === 'cols[i]') {
          // keys_api.cpp: a constant table of column names indexed by the limit kind.
          expect(src).toMatch(/const char \*cols\[\] = \{("[a-z_]+",?\s*)+\};/);
          continue;
        }
        expect(c, file).toMatch(/^"[a-z_]+"$/);
      }
    }
  });

  it('binds params in the shim and builds no SQL there', () => {
    const shim = fs.readdirSync(path.join(root, 'shim')).filter((f) => f.endsWith('.js'));
    let prepares = 0;
    for (const f of shim) {
      const src = fs.readFileSync(path.join(root, 'shim', f), 'utf8');
      for (const m of src.matchAll(/\.prepare\(([^)]*)\)/g)) {
        prepares++;
        expect(m[1], f).not.toMatch(/[`+]/); // the SQL text comes from the core as is
      }
      expect(src, f).not.toMatch(/\b(SELECT|INSERT INTO|DELETE FROM)\b.*\$\{/);
    }
    expect(prepares).toBeGreaterThan(0);
    const effects = fs.readFileSync(path.join(root, 'shim/effects.js'), 'utf8');
    expect(effects).toMatch(/\.bind\(\.\.\./);
  });
});
