// XSS defences of the admin web app (admin/), checked on the source: no script in the pages
// but files from 'self' (a CSP in every page forbids inline script and eval), no API that
// parses a string as HTML anywhere in the app or the shim (data only ever becomes text
// nodes through dom.js h()), every static response framed-out and nosniff (admin/_headers),
// and safeUrl() — the one gate for URLs that come from data (model output, image links) —
// lets only http(s), same-origin paths and data:image through. The rendering itself is
// exercised in a real browser by tests/browser/admin.test.js.
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { safeUrl } from '../../admin/assets/js/dom.js';

const root = path.resolve(import.meta.dirname, '../..');

function walk(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const rel = (f) => path.relative(root, f);
const pages = walk(path.join(root, 'admin')).filter((f) => f.endsWith('.html'));
const appScripts = [
  ...walk(path.join(root, 'admin/assets')).filter((f) => f.endsWith('.js')),
  ...walk(path.join(root, 'shim')).filter((f) => f.endsWith('.js')),
];

// Strings that parse or execute text as markup or code.
const SINKS = [
  /\.innerHTML\b/,
  /\.outerHTML\b/,
  /\binsertAdjacentHTML\b/,
  /\bdocument\.write(ln)?\b/,
  /\beval\s*\(/,
  /\bnew\s+Function\b/,
  /\bsrcdoc\b/,
  /\bDOMParser\b/,
  /\bcreateContextualFragment\b/,
  /\bsetHTMLUnsafe\b/,
  /\bsetTimeout\s*\(\s*['"`]/,
  /\bsetInterval\s*\(\s*['"`]/,
];

// The source without comments (so the file headers may name what they avoid).
function code(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\'"`])\/\/.*$/gm, '$1');
}

function csp(html) {
  const m = html.match(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i);
  if (!m) return null;
  return Object.fromEntries(
    m[1]
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([k, ...v]) => [k, v]),
  );
}

describe('admin XSS defences', () => {
  it('finds the pages and scripts (the scan works)', () => {
    expect(pages.length).toBeGreaterThanOrEqual(10);
    expect(appScripts.some((f) => f.endsWith('dom.js'))).toBe(true);
    expect(appScripts.some((f) => f.endsWith('rich.js'))).toBe(true);
  });

  it('no script or shim file uses an API that parses strings as HTML or code', () => {
    const hits = [];
    for (const f of appScripts) {
      const src = code(fs.readFileSync(f, 'utf8'));
      for (const re of SINKS) if (re.test(src)) hits.push(`${rel(f)}: ${re}`);
    }
    expect(hits).toEqual([]);
  });

  it('every page has a CSP that allows script only from self: no inline script, no eval, no plugins, no <base>', () => {
    for (const f of pages) {
      const html = fs.readFileSync(f, 'utf8');
      const p = csp(html);
      expect(p, rel(f)).not.toBeNull();
      const script = p['script-src'] || p['default-src'];
      expect(script, rel(f)).toEqual(["'self'"]);
      expect(p['default-src'], rel(f)).toEqual(["'self'"]);
      expect(p['object-src'], rel(f)).toEqual(["'none'"]);
      expect(p['base-uri'], rel(f)).toEqual(["'none'"]);
      expect(html, rel(f)).not.toMatch(/'unsafe-(inline|eval)'/);
    }
  });

  it('pages hold no inline script, no event-handler attributes and no javascript: URLs', () => {
    for (const f of pages) {
      const html = fs.readFileSync(f, 'utf8');
      for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
        expect(m[1], `${rel(f)}: a <script> without src`).toMatch(/\ssrc="\/[^"]+"/);
        expect(m[2].trim(), `${rel(f)}: inline script`).toBe('');
      }
      expect(html, rel(f)).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
      expect(html, rel(f)).not.toMatch(/javascript:/i);
    }
  });

  it('static responses are never framed and never sniffed (admin/_headers)', () => {
    const headers = fs.readFileSync(path.join(root, 'admin/_headers'), 'utf8');
    const all = headers.split(/\n(?=\S)/).find((block) => block.startsWith('/*'));
    expect(all).toBeTruthy();
    expect(all).toMatch(/^\s+X-Frame-Options:\s*DENY$/m);
    expect(all).toMatch(/^\s+X-Content-Type-Options:\s*nosniff$/m);
    expect(all).toMatch(/^\s+Content-Security-Policy:.*frame-ancestors 'none'/m);
    expect(all).toMatch(/^\s+Referrer-Policy:\s*same-origin$/m);
  });

  it('safeUrl passes only http(s), same-origin paths and data:image (for images)', () => {
    for (const bad of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'jav&#x61;script:alert(1)',
      'vbscript:msgbox(1)',
      'data:text/html,<script>alert(1)</script>',
      'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=',
      '//evil.example/x.png',
      'file:///etc/passwd',
      'blob:https://evil.example/1',
      '',
      null,
      42,
    ])
      expect(safeUrl(bad, { allowData: true }), String(bad)).toBeNull();
    expect(safeUrl('data:image/png;base64,iVBORw0KGgo=')).toBeNull(); // data only when asked
    expect(safeUrl('data:image/png;base64,iVBORw0KGgo=', { allowData: true })).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(safeUrl('https://assets.example/a.png?x=1')).toBe('https://assets.example/a.png?x=1');
    expect(safeUrl('http://example.com/')).toBe('http://example.com/');
    expect(safeUrl('/images/abc.def')).toBe('/images/abc.def');
    expect(safeUrl('https://example.com/"><img src=x onerror=alert(1)>')).toBe(
      'https://example.com/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E',
    );
  });
});
