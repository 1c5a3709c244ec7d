// UI strings: t(key, vars) looks the key up in the current language's dictionary (falling back
// to English, then to the key) and fills {name} placeholders. The language is saved in
// localStorage; switching reloads the page so everything is rendered again.
import en from './i18n/en.js';
import zh from './i18n/zh.js';

const dicts = { en, zh };
const KEY = 'g2a.lang';

export function lang() {
  const v = localStorage.getItem(KEY);
  if (v === 'en' || v === 'zh') return v;
  return /^zh/i.test(navigator.language || '') ? 'zh' : 'en';
}

export function locale() {
  return lang() === 'zh' ? 'zh-CN' : 'en';
}

export function setLang(l) {
  localStorage.setItem(KEY, l);
  location.reload();
}

export function t(key, vars) {
  let s = dicts[lang()][key] ?? en[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined ? m : String(vars[k])));
  return s;
}

// Whether a key exists (used for optional per-item strings such as setting descriptions).
export function has(key) {
  return key in dicts[lang()] || key in en;
}
