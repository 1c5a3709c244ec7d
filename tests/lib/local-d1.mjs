// The local D1 of a `--persist-to` state directory (the one `wrangler dev` serves), read and
// written directly with Debian's sqlite3 shell: a few milliseconds a call, where `wrangler d1
// execute --local` starts a whole Miniflare (about 2 s on a 2-core machine) and gives up at once
// when the Worker holds the database. It is the same SQLite file with the same locking: a batch
// waits for the Worker's write (busy timeout), runs as one transaction with D1's foreign-key
// rule, and the Worker sees it at its next query.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// The SQLite file behind the DB binding (Miniflare keeps one per database id beside its
// metadata.sqlite; this project has one D1 database).
export function localD1File(state) {
  const dir = path.join(state, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite') : [];
  if (files.length !== 1) throw new Error(`local D1: expected one database in ${dir}, found ${files.length} (migrations applied?)`);
  return path.join(dir, files[0]);
}

// Runs `statements` as one transaction; returns the rows of the last statement.
export function localSql(state, statements, { busyTimeoutMs = 15000 } = {}) {
  const list = Array.isArray(statements) ? statements : [statements];
  if (list.length === 0) return Promise.resolve([]);
  const script = [
    '.bail on',
    `.timeout ${busyTimeoutMs}`,
    'PRAGMA foreign_keys = ON;',
    '.mode json',
    '.output /dev/null',
    'BEGIN IMMEDIATE;',
    ...list.slice(0, -1).map((s) => `${s};`),
    '.output stdout',
    `${list.at(-1)};`,
    'COMMIT;',
  ].join('\n');
  const file = localD1File(state);
  return new Promise((resolve, reject) => {
    const child = spawn('sqlite3', ['-batch', file], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => reject(new Error(`local D1: cannot run sqlite3 (${e.message}); scripts/setup.sh installs it`)));
    child.on('close', (code) => {
      if (code !== 0 || err.trim()) return reject(new Error(`local D1: sqlite3 exited ${code}: ${err.trim()}`));
      try {
        resolve(out.trim() ? JSON.parse(out) : []);
      } catch (e) {
        reject(new Error(`local D1: unreadable sqlite3 output (${e.message}): ${out.slice(0, 200)}`));
      }
    });
    child.stdin.end(script);
  });
}
