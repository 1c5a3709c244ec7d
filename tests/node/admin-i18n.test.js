// The admin app's two dictionaries (admin/assets/js/i18n/en.js, zh.js): the same keys (zh also
// has a description of every setting, sd.<key>, for exactly the settings cpp/app/settings.cpp
// defines), the same {placeholders} per key, no empty strings, and every key the app's code looks
// up with a literal t('…') / has('…') exists (t() would otherwise show the key itself).
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import en from '../../admin/assets/js/i18n/en.js';
import zh from '../../admin/assets/js/i18n/zh.js';

const root = path.resolve(import.meta.dirname, '../..');
const placeholders = (s) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

function jsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'i18n' || d.name === 'vendor' ? [] : jsFiles(p);
    return d.name.endsWith('.js') ? [p] : [];
  });
}

describe('admin translations', () => {
  it('en and zh have exactly the same keys (zh also describes every setting, sd.*, and only those)', () => {
    // English setting descriptions come from the API (GET /api/admin/settings); zh.js has its own.
    const a = Object.keys(en);
    const b = Object.keys(zh).filter((k) => !k.startsWith('sd.'));
    expect(a.length).toBeGreaterThan(300);
    expect(a.filter((k) => k.startsWith('sd.'))).toEqual([]);
    expect(a.filter((k) => !(k in zh)), 'missing in zh.js').toEqual([]);
    expect(b.filter((k) => !(k in en)), 'missing in en.js').toEqual([]);
    const settings = [...fs.readFileSync(path.join(root, 'cpp/app/settings.cpp'), 'utf8').matchAll(/SettingSpec\{"(\w+)"/g)].map((m) => m[1]).sort();
    expect(settings.length).toBeGreaterThan(20);
    expect(Object.keys(zh).filter((k) => k.startsWith('sd.')).map((k) => k.slice(3)).sort()).toEqual(settings);
  });

  it('every key has the same {placeholders} in both languages, and no text is empty', () => {
    const mismatched = Object.keys(en).filter((k) => k in zh && placeholders(en[k]).join() !== placeholders(zh[k]).join());
    expect(mismatched.map((k) => `${k}: en {${placeholders(en[k])}} zh {${placeholders(zh[k])}}`)).toEqual([]);
    for (const [name, dict] of [['en', en], ['zh', zh]]) {
      const empty = Object.entries(dict).filter(([, v]) => typeof v !== 'string' || !v.trim()).map(([k]) => k);
      expect(empty, `${name}: empty or non-string`).toEqual([]);
    }
  });

  it('every literal key the admin code looks up exists in en.js', () => {
    const used = new Map();
    for (const file of jsFiles(path.join(root, 'admin/assets/js'))) {
      const src = fs.readFileSync(file, 'utf8');
      for (const m of src.matchAll(/\b(?:t|has)\(\s*'([a-z0-9_.]+)'/g)) used.set(m[1], path.relative(root, file));
    }
    expect(used.size).toBeGreaterThan(200);
    const missing = [...used].filter(([k]) => !(k in en)).map(([k, f]) => `${k} (${f})`);
    expect(missing).toEqual([]);
  });
});
