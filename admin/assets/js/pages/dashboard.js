// /admin: request counts per hour and per day, success rate, time to first byte, per-model
// counts, token health, and the requests refused before a valid key was known (counted, not
// logged), from GET /api/admin/stats.
import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { get } from '../api.js';
import { adminPage, pageHead } from '../shell.js';
import { num, pct, ms } from '../format.js';
import { requestChart } from '../charts.js';
import { dataTable } from '../table.js';

const sum = (list, k) => list.reduce((a, r) => a + (Number(r[k]) || 0), 0);

function stat(label, value, hint, tone) {
  return h('div', { class: `stat ${tone || ''}` }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), hint ? h('div', { class: 'hint' }, hint) : null);
}

function toSeconds(r) {
  if (r.ts !== undefined && r.ts !== null) return Number(r.ts) > 1e11 ? Math.floor(r.ts / 1000) : Number(r.ts);
  const d = Date.parse(`${r.day}T00:00:00`);
  return Number.isNaN(d) ? 0 : d / 1000;
}

function chartCard(title, rows, fmt) {
  const box = h('div', { class: 'chart' });
  const points = rows.map((r) => ({ x: toSeconds(r), total: Number(r.total) || 0, failed: Number(r.failed) || 0 }));
  const table = dataTable(
    [
      { label: t('dash.time'), cell: (r) => (fmt === 'hour' ? new Date(r.x * 1000).toLocaleString() : new Date(r.x * 1000).toLocaleDateString()) },
      { label: t('dash.total'), cell: (r) => num(r.total) },
      { label: t('dash.failed'), cell: (r) => num(r.failed) },
    ],
    points,
    { empty: h('p', { class: 'muted' }, t('common.no_data')) },
  );
  const card = h('section', { class: 'card' }, h('h2', null, title), box, h('details', { class: 'small' }, h('summary', null, t('dash.as_table')), table));
  requestAnimationFrame(() => requestChart(box, points, fmt));
  return card;
}

function modelsCard(models) {
  const top = [...models].sort((a, b) => b.count - a.count).slice(0, 10);
  const max = Math.max(1, ...top.map((m) => m.count));
  const body = top.length
    ? h(
        'div',
        { class: 'bars' },
        top.map((m) => {
          const fill = h('div', { class: 'bar-fill' });
          fill.style.width = `${Math.max(2, (m.count / max) * 100)}%`;
          return h('div', { class: 'bar-row' }, h('span', { class: 'mono' }, m.model || t('common.unknown')), h('span', { class: 'muted' }, num(m.count)), h('div', { class: 'bar-track', role: 'presentation' }, fill));
        }),
      )
    : h('p', { class: 'empty' }, t('dash.no_requests'));
  return h('section', { class: 'card' }, h('h2', null, t('dash.models')), body);
}

function healthCard(tk, keys) {
  const total = Number(tk.total) || 0;
  const parts = [
    ['seg-ok', t('tokens.active_ok'), Math.max(0, (tk.active || 0) - (tk.cooling || 0))],
    ['seg-warn', t('tokens.cooling'), tk.cooling || 0],
    ['seg-err', t('tokens.invalid'), tk.invalid || 0],
    ['seg-off', t('tokens.disabled'), tk.disabled || 0],
  ];
  const bar = h('div', { class: 'health', role: 'img', 'aria-label': parts.map(([, l, v]) => `${l}: ${v}`).join(', ') });
  for (const [cls, , v] of parts) {
    if (!v || !total) continue;
    const seg = h('span', { class: cls });
    seg.style.width = `${(v / total) * 100}%`;
    bar.append(seg);
  }
  return h(
    'section',
    { class: 'card' },
    h('div', { class: 'card-head' }, h('h2', null, t('dash.token_health')), h('a', { href: '/admin/tokens', class: 'small' }, t('dash.manage_tokens'))),
    total ? bar : h('p', { class: 'muted' }, t('dash.no_tokens')),
    h('div', { class: 'legend' }, parts.map(([cls, l, v]) => h('span', null, h('i', { class: cls }), `${l} ${num(v)}`))),
    h('p', { class: 'muted small' }, t('dash.keys_line', { enabled: num(keys.enabled), total: num(keys.total) })),
  );
}

adminPage('/admin', async (main) => {
  const content = h('div', { class: 'stack' }, h('p', { class: 'loading' }, t('common.loading')));
  const refresh = h('button', { type: 'button', class: 'btn', onclick: () => load() }, t('common.refresh'));
  mount(main, pageHead(t('dash.title'), t('dash.sub'), refresh), content);

  async function load() {
    refresh.disabled = true;
    try {
      const s = await get('stats');
      const hourly = s.hourly || [];
      const daily = s.daily || [];
      const total24 = s.total ?? sum(hourly, 'total');
      const failed24 = s.failed ?? sum(hourly, 'failed');
      const tk = s.tokens || {};
      const keys = s.keys || {};
      const refused = s.refused || {};
      const topCodes = (refused.by_code || []).slice(0, 3).map((c) => `${c.status} ${c.code} ${num(c.count)}`).join(' · ');
      const refusedTile = stat(t('dash.refused_today'), num(refused.today || 0), [t('dash.refused_14d', { n: num(refused.days_14 || 0) }), topCodes].filter(Boolean).join(' · '));
      refusedTile.dataset.stat = 'refused';
      // Where x-statsig-id values came from (the fallback chain's steps), today and in 14 days.
      const today = (daily[daily.length - 1] || {}).statsig || {};
      const steps = (m) => Object.entries(m || {}).map(([k, n]) => `${k} ${num(n)}`).join(' · ');
      const statsigTile = stat(t('dash.statsig_today'), steps(today) || '—', t('dash.statsig_14d', { list: steps(s.statsig) || '—' }), today.failed ? 'warn' : null);
      statsigTile.dataset.stat = 'statsig';
      // What the quality guard found (looping, empty, reasoning-less answers) and did, per day.
      const qToday = (daily[daily.length - 1] || {}).quality || {};
      const qualityTile = stat(t('dash.quality_today'), steps(qToday) || '—', t('dash.quality_14d', { list: steps(s.quality) || '—' }));
      qualityTile.dataset.stat = 'quality';
      mount(
        content,
        h(
          'div',
          { class: 'stats' },
          stat(t('dash.requests_24h'), num(total24), t('dash.failed_n', { n: num(failed24) })),
          stat(t('dash.success_rate'), pct(s.success_rate), null, s.success_rate !== null && s.success_rate !== undefined && (s.success_rate <= 1 ? s.success_rate : s.success_rate / 100) < 0.9 ? 'warn' : 'ok'),
          stat(t('dash.ttfb_p50'), ms(s.ttfb_ms && s.ttfb_ms.p50)),
          stat(t('dash.ttfb_p95'), ms(s.ttfb_ms && s.ttfb_ms.p95)),
          stat(t('dash.requests_14d'), num(sum(daily, 'total'))),
          stat(t('dash.tokens_active'), `${num(tk.active)} / ${num(tk.total)}`, tk.invalid ? t('dash.invalid_n', { n: num(tk.invalid) }) : null, tk.invalid ? 'warn' : null),
          refusedTile,
          stat(
            t('dash.video_jobs'),
            num((s.videos && s.videos.total) || 0),
            t('dash.video_jobs_hint', { running: num(((s.videos && s.videos.queued) || 0) + ((s.videos && s.videos.in_progress) || 0)), failed: num((s.videos && s.videos.failed) || 0) }),
          ),
          statsigTile,
          qualityTile,
        ),
        h('div', { class: 'grid' }, chartCard(t('dash.hourly'), hourly, 'hour'), chartCard(t('dash.daily'), daily, 'day'), modelsCard(s.models || []), healthCard(tk, keys)),
      );
    } finally {
      refresh.disabled = false;
    }
  }
  await load();
});
