#!/usr/bin/env node
// Writes wrangler.ci.toml: wrangler.toml with the real D1 database id, KV namespace id and
// BUILD_SHA injected. Used by the deploy workflow and by `npm run deploy`; no dependencies.
//
// Usage: node scripts/ci-config.mjs [--d1-id UUID] [--kv-id HEX32] [--build-sha SHA]
//          [--in wrangler.toml] [--out wrangler.ci.toml] [--check] [--require-env A,B]
// Values come from the flags, else from CF_D1_DATABASE_ID, CF_KV_NAMESPACE_ID and BUILD_SHA
// (then GITHUB_SHA, then `git rev-parse HEAD`, then "dev"). Missing or malformed ids exit 2
// with one message naming every variable at fault. --check validates without writing;
// --require-env also demands that the named variables are set (presence only, never printed).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX32 = /^[0-9a-f]{32}$/i;
const SHA_SAFE = /^[A-Za-z0-9._-]{1,64}$/;

const HELP = {
  CF_D1_DATABASE_ID: 'the D1 database id, a UUID (`npx wrangler d1 create grok2api` prints it; or --d1-id)',
  CF_KV_NAMESPACE_ID: 'the KV namespace id, 32 hex digits (`npx wrangler kv namespace create grok2api-cache` prints it; or --kv-id)',
  CLOUDFLARE_API_TOKEN: 'an API token allowed to edit Workers scripts, D1 and Workers KV',
  CLOUDFLARE_ACCOUNT_ID: 'the Cloudflare account id (dashboard sidebar, or `npx wrangler whoami`)',
};

export class ConfigError extends Error {}

/** Parses argv into options; throws ConfigError on unknown flags. */
export function parseArgs(argv) {
  const opts = { check: false, requireEnv: [] };
  const takes = { '--d1-id': 'd1Id', '--kv-id': 'kvId', '--build-sha': 'buildSha', '--in': 'input', '--out': 'output' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--check') { opts.check = true; continue; }
    if (flag === '--help' || flag === '-h') { opts.help = true; continue; }
    if (flag === '--require-env' || takes[flag]) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new ConfigError(`ci-config: ${flag} needs a value`);
      if (flag === '--require-env') opts.requireEnv.push(...value.split(',').map((s) => s.trim()).filter(Boolean));
      else opts[takes[flag]] = value;
      continue;
    }
    throw new ConfigError(`ci-config: unknown argument ${arg} (see --help)`);
  }
  return opts;
}

function gitHead(cwd) {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** Resolves and validates the values; throws ConfigError naming every problem at once. */
export function resolveValues(opts, env, cwd) {
  const d1 = (opts.d1Id ?? env.CF_D1_DATABASE_ID ?? '').trim();
  const kv = (opts.kvId ?? env.CF_KV_NAMESPACE_ID ?? '').trim();
  const missing = [];
  const bad = [];
  if (!d1) missing.push('CF_D1_DATABASE_ID');
  else if (!UUID.test(d1)) bad.push('CF_D1_DATABASE_ID is not a UUID (8-4-4-4-12 hex digits)');
  if (!kv) missing.push('CF_KV_NAMESPACE_ID');
  else if (!HEX32.test(kv)) bad.push('CF_KV_NAMESPACE_ID is not 32 hex digits');
  for (const name of opts.requireEnv) if (!(env[name] ?? '').trim()) missing.push(name);

  const buildSha = (opts.buildSha ?? env.BUILD_SHA ?? env.GITHUB_SHA ?? '').trim() || gitHead(cwd) || 'dev';
  if (!SHA_SAFE.test(buildSha)) bad.push('BUILD_SHA may only hold letters, digits, ".", "_" and "-" (at most 64)');

  if (missing.length || bad.length) {
    const lines = [];
    if (missing.length) {
      lines.push(`ci-config: missing ${missing.join(', ')}`);
      for (const name of missing) lines.push(`  ${name}: ${HELP[name] ?? 'required (--require-env)'}`);
      lines.push('  Set them as environment variables (in GitHub Actions: repository secrets).');
    }
    for (const b of bad) lines.push(`ci-config: ${b}`);
    throw new ConfigError(lines.join('\n'));
  }
  return { d1, kv, buildSha };
}

// Splits TOML text into blocks: the preamble, then one block per [table] / [[array]] header.
function blocks(lines) {
  const out = [{ header: '', start: 0, end: lines.length }];
  lines.forEach((line, i) => {
    const m = /^\s*(\[\[?[^\]]+\]\]?)\s*(#.*)?$/.exec(line);
    if (m) {
      out[out.length - 1].end = i;
      out.push({ header: m[1].replace(/\s+/g, ''), start: i, end: lines.length });
    }
  });
  return out;
}

const keyLine = (key) => new RegExp(`^(\\s*${key}\\s*=\\s*)"[^"]*"(.*)$`);

// Replaces `key = "..."` in the one block with header `header` whose binding is `binding`.
function setInBinding(lines, header, binding, key, value) {
  const found = blocks(lines).filter((b) => b.header === header &&
    lines.slice(b.start, b.end).some((l) => keyLine('binding').test(l) && l.includes(`"${binding}"`)));
  if (found.length !== 1) throw new ConfigError(`ci-config: expected one ${header} block with binding "${binding}" in the input, found ${found.length}`);
  const b = found[0];
  const re = keyLine(key);
  const at = lines.slice(b.start, b.end).findIndex((l) => re.test(l));
  if (at < 0) throw new ConfigError(`ci-config: the ${header} block "${binding}" has no ${key} line`);
  lines[b.start + at] = lines[b.start + at].replace(re, `$1"${value}"$2`);
}

function setVar(lines, key, value) {
  const vars = blocks(lines).find((b) => b.header === '[vars]');
  if (!vars) throw new ConfigError('ci-config: the input has no [vars] table');
  const re = keyLine(key);
  const at = lines.slice(vars.start, vars.end).findIndex((l) => re.test(l));
  if (at >= 0) lines[vars.start + at] = lines[vars.start + at].replace(re, `$1"${value}"$2`);
  else lines.splice(vars.start + 1, 0, `${key} = "${value}"`);
}

/** Returns the generated TOML text for `source` with the values injected. */
export function render(source, { d1, kv, buildSha }) {
  const lines = source.split('\n');
  setInBinding(lines, '[[d1_databases]]', 'DB', 'database_id', d1);
  setInBinding(lines, '[[kv_namespaces]]', 'KV_CACHE', 'id', kv);
  setVar(lines, 'BUILD_SHA', buildSha);
  const banner = '# GENERATED by scripts/ci-config.mjs from wrangler.toml: do not edit, do not commit.\n';
  return banner + lines.join('\n');
}

/** Runs the command line; returns the exit code. */
export function main(argv, env = process.env, cwd = process.cwd(), log = console) {
  let opts;
  try {
    opts = parseArgs(argv);
    if (opts.help) {
      log.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 10).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
      return 0;
    }
    const input = path.resolve(cwd, opts.input ?? 'wrangler.toml');
    const output = path.resolve(cwd, opts.output ?? path.join(path.dirname(input), 'wrangler.ci.toml'));
    const values = resolveValues(opts, env, path.dirname(input));
    if (!fs.existsSync(input)) throw new ConfigError(`ci-config: ${input} not found`);
    const text = render(fs.readFileSync(input, 'utf8'), values);
    if (opts.check) {
      log.log(`ci-config: ok (ids present and well-formed, BUILD_SHA=${values.buildSha})`);
      return 0;
    }
    if (path.dirname(output) !== path.dirname(input)) {
      log.error('ci-config: note: paths in the config are relative to its folder; keep the output beside the input');
    }
    fs.writeFileSync(output, text);
    log.log(`ci-config: wrote ${path.relative(cwd, output) || output} (D1 and KV ids injected, BUILD_SHA=${values.buildSha})`);
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      log.error(err.message);
      return 2;
    }
    throw err;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
