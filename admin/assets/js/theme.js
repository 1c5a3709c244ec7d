// Theme choice: system (follows prefers-color-scheme), light or dark; saved in localStorage.
// Dispatches "g2a:theme" on window so charts can redraw with the new colours.
const KEY = 'g2a.theme';
const ORDER = ['system', 'light', 'dark'];

export function getTheme() {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

export function setTheme(mode) {
  const root = document.documentElement;
  if (mode === 'light' || mode === 'dark') {
    localStorage.setItem(KEY, mode);
    root.setAttribute('data-theme', mode);
  } else {
    localStorage.removeItem(KEY);
    root.removeAttribute('data-theme');
  }
  window.dispatchEvent(new CustomEvent('g2a:theme'));
}

export function nextTheme() {
  const next = ORDER[(ORDER.indexOf(getTheme()) + 1) % ORDER.length];
  setTheme(next);
  return next;
}

export function isDark() {
  const t = getTheme();
  return t === 'dark' || (t === 'system' && matchMedia('(prefers-color-scheme: dark)').matches);
}

matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
  if (getTheme() === 'system') window.dispatchEvent(new CustomEvent('g2a:theme'));
});
