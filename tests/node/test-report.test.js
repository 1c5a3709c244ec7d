// scripts/test-report.mjs: how npm test counts a suite — skips, todos and disabled tests are
// failures unless allow-listed, a suite below its minimum fails, an unreadable report fails.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { fromVitest, fromCtest, allowedSkips } from '../../scripts/test-report.mjs';

const script = path.resolve(import.meta.dirname, '../../scripts/test-report.mjs');
const run = (...args) => {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
  return { out: r.stdout.trim(), err: r.stderr };
};
const tmp = (name, text) => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'g2a-tr-')), name);
  fs.writeFileSync(f, text);
  return f;
};

const vitestReport = {
  testResults: [
    { status: 'passed', assertionResults: [{ status: 'passed', fullName: 'a works' }, { status: 'skipped', fullName: 'a skipped one' }, { status: 'todo', fullName: 'a todo' }] },
    { status: 'failed', assertionResults: [] }, // a file that failed to load
    { status: 'failed', assertionResults: [{ status: 'failed', fullName: 'b breaks' }] },
  ],
};

const ctestLog = `
Test project /x
      Start  1: A.One
 1/3 Test  #1: A.One ...   Passed    0.01 sec
 2/3 Test  #2: A.Two ...***Skipped   0.01 sec
 3/3 Test  #3: A.Three ...   Disabled
100% tests passed, 0 tests failed out of 3

The following tests did not run:
	  2 - A.Two (Skipped)
	  3 - A.Three (Disabled)
`;

describe('test-report', () => {
  it('counts a failed file and every non-passed assertion', () => {
    expect(fromVitest(vitestReport)).toEqual({ passed: 1, failed: 2, skipped: ['a skipped one', 'a todo'] });
  });

  it('reads ctest skipped and disabled tests as skipped, not passed', () => {
    expect(fromCtest(ctestLog)).toEqual({ passed: 1, failed: 0, skipped: ['A.Two', 'A.Three'] });
  });

  it('fails each skip the allow-list does not name, and the suite below its minimum', () => {
    const r = run('vitest', tmp('r.json', JSON.stringify(vitestReport)), 'node', '10');
    // 2 failed + 2 unlisted skips + 1 below minimum (3 ran < 10)
    expect(r.out).toBe('1 5 2');
    expect(r.err).toContain('skipped but not in tests/skips.allowed: a skipped one');
    expect(r.err).toContain('fewer than its minimum of 10');
  });

  it('counts an unreadable report as one failure', () => {
    expect(run('ctest', '/nonexistent/ctest.log', 'native', '1').out).toBe('0 1 0');
  });

  it('parses the allow-list: suite | name | reason, comments ignored, a line without a reason ignored', () => {
    const a = allowedSkips('# c\nnode | a skipped one | upstream bug #12\nnode | no reason\n');
    expect([...a]).toEqual(['node|a skipped one']);
  });
});
