// The core's layers (cmake/layers.cmake) are enforced by the native build: each layer compiles
// against an include root holding only its own headers and those of the layers below. These
// tests configure a copy of the tree (configure only, no compile) and prove the guard bites:
// an include pointing up a layer is "file not found" for the lower layer and resolves for the
// upper one, every include root holds exactly its reach, and a file in no layer fails configure.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const cxx = ['clang++', 'clang++-14'].find((c) => spawnSync(c, ['--version']).status === 0);
let tmp;
let src;
let build;

function configure() {
  return spawnSync('cmake', ['-S', src, '-B', build, '-DG2A_FUZZ=ON', `-DSIMDJSON_DIR=${path.join(root, 'node_modules/@nozbe/simdjson/src')}`], {
    encoding: 'utf8',
    env: { ...process.env, CXX: cxx },
  });
}

// Preprocesses `file` (dependency scan only) with a layer's include root; returns the result.
function scan(layer, file) {
  return spawnSync(cxx, ['-std=c++20', '-MM', '-I', path.join(build, 'layers', layer), '-isystem', path.join(build, 'nlohmann-inc'),
    '-isystem', path.join(root, 'node_modules/@nozbe/simdjson/src'), file], { encoding: 'utf8' });
}

// The folders of headers under an include root (e.g. ["answer", "core", "http"]).
const folders = (layer) => readdirSync(path.join(build, 'layers', layer)).sort();

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'g2a-layers-'));
  src = path.join(tmp, 'src');
  build = path.join(tmp, 'build');
  mkdirSync(src);
  for (const p of ['CMakeLists.txt', 'cmake', 'cpp']) cpSync(path.join(root, p), path.join(src, p), { recursive: true });
  const r = configure();
  expect(r.status, r.stderr).toBe(0);
});

afterAll(() => tmp && rmSync(tmp, { recursive: true, force: true }));

describe('layers enforced by the build', () => {
  it('an include that points up a layer is not found below and is found above', () => {
    const probe = path.join(tmp, 'probe.cpp');
    writeFileSync(probe, '#include "app/settings.h"\n');
    for (const low of ['base', 'answer', 'grok', 'openai', 'runtime', 'services']) {
      const r = scan(low, probe);
      expect(r.status, low).not.toBe(0);
      expect(r.stderr, low).toContain("'app/settings.h' file not found");
    }
    for (const high of ['app', 'admin', 'worker']) {
      const r = scan(high, probe);
      expect(r.stderr, high).toBe('');
      expect(r.status, high).toBe(0);
      expect(r.stdout, high).toContain(path.join('app', 'settings.h'));
    }
    // The pure protocol layers never see the request context.
    writeFileSync(probe, '#include "core/context.h"\n');
    for (const pure of ['base', 'answer', 'tools', 'grok', 'openai', 'anthropic']) expect(scan(pure, probe).stderr, pure).toContain('file not found');
    expect(scan('runtime', probe).status).toBe(0);
  });

  it('each include root holds its own folders and those of the layers below, no more', () => {
    expect(folders('base')).toEqual(['core', 'http']);
    expect(folders('answer')).toEqual(['answer', 'core', 'http']);
    expect(folders('grok')).toEqual(['answer', 'core', 'grok', 'http']);
    expect(folders('anthropic')).toEqual(['answer', 'anthropic', 'core', 'http', 'openai', 'tools']);
    expect(folders('services')).toEqual(['answer', 'auth', 'core', 'grok', 'http', 'pool']);
    expect(folders('worker')).toEqual(readdirSync(path.join(src, 'cpp')).sort());
    // runtime's files sit in base's folders but only runtime reaches them.
    expect(existsSync(path.join(build, 'layers/base/core/context.h'))).toBe(false);
    expect(existsSync(path.join(build, 'layers/base/http/response.h'))).toBe(false);
    expect(existsSync(path.join(build, 'layers/base/http/api_error.h'))).toBe(true);
    expect(existsSync(path.join(build, 'layers/runtime/core/context.h'))).toBe(true);
  });

  it('a source file in no layer fails the configure step, naming the file', () => {
    mkdirSync(path.join(src, 'cpp', 'stray'));
    writeFileSync(path.join(src, 'cpp', 'stray', 'loose.cpp'), 'int loose() { return 1; }\n');
    const r = configure();
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('files in no layer');
    expect(r.stderr).toContain('stray/loose.cpp');
    rmSync(path.join(src, 'cpp', 'stray'), { recursive: true });
  });
});
