// /admin/logs: the request log with filters (status, client API, model, key), cursor paging ("load more"
// with next_before), optional auto-refresh, and a detail view per request.
import { h, mount, uid } from '../dom.js';
import { t } from '../i18n.js';
import { get, errorText } from '../api.js';
import { adminPage, pageHead } from '../shell.js';
import { dataTable, emptyState } from '../table.js';
import { infoDialog } from '../dialog.js';
import { num, ms, dateTime, relTime } from '../format.js';
import { copyButton } from '../copy.js';

export const STATUS_FILTERS = ['', '2xx', 'error', '4xx', '5xx', '429', '499'];
export const API_FILTERS = ['', 'chat', 'responses', 'messages', 'images', 'models'];

function labelled(label, control) {
  const id = uid('f');
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

const tone = (s) => (s >= 200 && s < 300 ? 'ok' : s === 429 || s === 499 ? 'warn' : 'err');

function details(r) {
  const rows = [
    [t('logs.id'), h('span', { class: 'row' }, h('span', { class: 'mono' }, r.id), copyButton(r.id))],
    [t('logs.time'), dateTime(r.ts)],
    [t('logs.request'), `${r.method} ${r.path}${r.stream ? ' (stream)' : ''}`],
    [t('logs.route'), r.route || '—'],
    [t('logs.status'), String(r.status)],
    [t('logs.model'), r.model || '—'],
    [t('logs.key'), r.key_name || '—'],
    [t('logs.duration'), ms(r.duration_ms)],
    [t('logs.ttfb'), ms(r.ttfb_ms)],
    [t('logs.tokens'), `${num(r.prompt_tokens)} → ${num(r.completion_tokens)}`],
    [t('logs.attempts'), String(r.attempts ?? 0)],
    [t('logs.account'), r.token_suffix ? `…${r.token_suffix}` : '—'],
    [t('logs.ip'), r.ip || '—'],
    [t('logs.error'), r.error_code ? `${r.error_code}${r.error_message ? `: ${r.error_message}` : ''}` : '—'],
  ];
  infoDialog({ title: t('logs.detail_title'), body: h('dl', { class: 'kv' }, rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])) });
}

adminPage('/admin/logs', async (main) => {
  const f = { status: h('select', null, STATUS_FILTERS.map((s) => h('option', { value: s }, s ? t(`logs.st_${s}`) : t('common.all')))), api: h('select', null, API_FILTERS.map((s) => h('option', { value: s }, s ? t(`logs.api_${s}`) : t('common.all')))), model: h('input', { type: 'search', spellcheck: 'false' }), key: h('input', { type: 'search', spellcheck: 'false' }) };
  const autoId = uid('f');
  const auto = h('input', { type: 'checkbox', id: autoId });
  const list = h('div', null, h('p', { class: 'loading' }, t('common.loading')));
  const more = h('button', { type: 'button', class: 'btn', hidden: true }, t('common.load_more'));
  const state = { rows: [], next: null };
  let timer = null;

  const form = h(
    'form',
    { class: 'toolbar', role: 'search' },
    labelled(t('logs.status'), f.status),
    labelled(t('logs.api'), f.api),
    labelled(t('logs.model'), f.model),
    labelled(t('logs.key'), f.key),
    h('button', { type: 'submit', class: 'btn primary' }, t('common.apply')),
    h('label', { class: 'check', for: autoId }, auto, t('logs.auto')),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    load(false);
  });
  f.status.addEventListener('change', () => load(false));
  f.api.addEventListener('change', () => load(false));
  auto.addEventListener('change', () => {
    clearInterval(timer);
    if (auto.checked) timer = setInterval(() => document.visibilityState === 'visible' && load(false), 10000);
  });
  more.addEventListener('click', () => load(true));

  mount(main, pageHead(t('logs.title'), t('logs.sub'), h('button', { type: 'button', class: 'btn', onclick: () => load(false) }, t('common.refresh'))), form, list, h('div', { class: 'row' }, more));

  async function load(append) {
    const p = new URLSearchParams();
    if (f.status.value) p.set('status', f.status.value);
    if (f.api.value) p.set('api', f.api.value);
    if (f.model.value.trim()) p.set('model', f.model.value.trim());
    if (f.key.value.trim()) p.set('key', f.key.value.trim());
    p.set('limit', '50');
    if (append && state.next) p.set('before', state.next);
    try {
      const res = await get(`logs?${p}`);
      state.rows = append ? state.rows.concat(res.data || []) : res.data || [];
      state.next = res.next_before || null;
      render();
    } catch (err) {
      mount(list, h('div', { class: 'alert', role: 'alert' }, errorText(err)));
    }
  }

  function render() {
    more.hidden = !state.next;
    mount(
      list,
      dataTable(
        [
          { label: t('logs.time'), cell: (r) => h('span', { title: dateTime(r.ts), class: 'nowrap' }, relTime(r.ts)) },
          { label: t('logs.status'), cell: (r) => h('span', { class: `badge ${tone(r.status)}` }, String(r.status)) },
          { label: t('logs.request'), cell: (r) => h('div', null, h('span', { class: 'mono small' }, `${r.method} ${r.path}`), r.stream ? h('span', { class: 'badge' }, 'SSE') : null) },
          { label: t('logs.model'), cell: (r) => h('span', { class: 'mono small' }, r.model || '—') },
          { label: t('logs.key'), cell: (r) => r.key_name || '—' },
          { label: t('logs.latency'), cell: (r) => h('span', { class: 'nowrap' }, `${ms(r.duration_ms)}${r.ttfb_ms !== null && r.ttfb_ms !== undefined ? ` · ${t('logs.ttfb_short')} ${ms(r.ttfb_ms)}` : ''}`) },
          { label: t('logs.tokens'), cell: (r) => `${num(r.prompt_tokens)} → ${num(r.completion_tokens)}` },
          { label: t('logs.error'), cell: (r) => (r.error_code ? h('span', { class: 'small', title: r.error_message || '' }, r.error_code) : '') },
          { label: t('common.actions'), class: 'actions', cell: (r) => h('button', { type: 'button', class: 'btn sm', onclick: () => details(r) }, t('logs.details')) },
        ],
        state.rows,
        { empty: emptyState(t('logs.empty_title'), t('logs.empty_text')), caption: t('logs.title') },
      ),
    );
  }
  await load(false);
});
