// /admin/audit: who changed what and when (every admin write), newest first.
import { h, mount, uid } from '../dom.js';
import { t } from '../i18n.js';
import { get, errorText } from '../api.js';
import { adminPage, pageHead } from '../shell.js';
import { dataTable, emptyState } from '../table.js';
import { dateTime, relTime } from '../format.js';

adminPage('/admin/audit', async (main) => {
  const q = h('input', { type: 'search', id: uid('f'), spellcheck: 'false' });
  const list = h('div', null, h('p', { class: 'loading' }, t('common.loading')));
  const more = h('button', { type: 'button', class: 'btn', hidden: true, onclick: () => load(true) }, t('common.load_more'));
  let rows = [];
  let next = null;
  q.addEventListener('input', render);
  mount(
    main,
    pageHead(t('audit.title'), t('audit.sub'), h('button', { type: 'button', class: 'btn', onclick: () => load(false) }, t('common.refresh'))),
    h('div', { class: 'toolbar', role: 'search' }, h('div', { class: 'field' }, h('label', { for: q.id }, t('common.search')), q)),
    list,
    h('div', { class: 'row' }, more),
  );

  function detailText(d) {
    if (typeof d === 'string') {
      try {
        d = JSON.parse(d);
      } catch {
        return d;
      }
    }
    if (d === null || d === undefined) return '';
    if (typeof d !== 'object') return String(d);
    return Object.entries(d)
      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`)
      .join(', ');
  }

  function render() {
    const needle = q.value.trim().toLowerCase();
    const shown = rows.filter((r) => !needle || `${r.username} ${r.action} ${r.target} ${detailText(r.detail)}`.toLowerCase().includes(needle));
    mount(
      list,
      dataTable(
        [
          { label: t('audit.time'), cell: (r) => h('span', { title: dateTime(r.ts), class: 'nowrap' }, relTime(r.ts)) },
          { label: t('audit.user'), cell: (r) => r.username || '—' },
          { label: t('audit.action'), cell: (r) => h('span', { class: 'badge accent' }, r.action || '') },
          { label: t('audit.target'), cell: (r) => h('span', { class: 'mono small' }, r.target || '') },
          { label: t('audit.detail'), cell: (r) => h('span', { class: 'small' }, detailText(r.detail)) },
        ],
        shown,
        { empty: emptyState(t('audit.empty_title'), needle ? t('common.no_match_text') : t('audit.empty_text')), caption: t('audit.title') },
      ),
    );
  }

  async function load(append) {
    try {
      const res = await get(append && next ? `audit?before=${encodeURIComponent(next)}` : 'audit');
      rows = append ? rows.concat(res.data || []) : res.data || [];
      next = res.next_before || null;
      more.hidden = !next;
      render();
    } catch (err) {
      mount(list, h('div', { class: 'alert', role: 'alert' }, errorText(err)));
    }
  }
  await load(false);
});
