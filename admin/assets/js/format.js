// Formatting of numbers, bytes, durations and times for the current language.
import { locale, t } from './i18n.js';

export const num = (n) => (n === null || n === undefined ? '—' : Number(n).toLocaleString(locale()));

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = Number(n);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toLocaleString(locale(), { maximumFractionDigits: i ? 1 : 0 })} ${units[i]}`;
}

export function ms(n) {
  if (n === null || n === undefined) return '—';
  return n >= 10000 ? `${(n / 1000).toLocaleString(locale(), { maximumFractionDigits: 1 })} s` : `${num(Math.round(n))} ms`;
}

export function pct(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  const v = x <= 1 ? x * 100 : x;
  return `${v.toLocaleString(locale(), { maximumFractionDigits: 1 })}%`;
}

// Timestamps from the API are ms since the epoch; 0/null mean "never".
export function toMs(ts) {
  if (!ts) return 0;
  const n = Number(ts);
  return n < 1e11 ? n * 1000 : n;
}

export function dateTime(ts) {
  const v = toMs(ts);
  if (!v) return t('common.never');
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(v));
}

export function relTime(ts) {
  const v = toMs(ts);
  if (!v) return t('common.never');
  const diff = (v - Date.now()) / 1000;
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  if (abs < 45) return rtf.format(Math.round(diff), 'second');
  if (abs < 2700) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 79200) return rtf.format(Math.round(diff / 3600), 'hour');
  if (abs < 86400 * 30) return rtf.format(Math.round(diff / 86400), 'day');
  return dateTime(v);
}
