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
  let rows = [];
  q.addEventListener('input', render);
  mount(
    main,
    pageHead(t('audit.title'), t('audit.sub'), h('button', { type: 'button', class: 'btn', onclick: load }, t('common.refresh'))),
    h('div', { class: 'toolbar', role: 'search' }, h('div', { class: 'field' }, h('label', { for: q.id }, t('common.search')), q)),
    list,
  );

  function detailText(d) {
    if (d === null || d === undefined || d === '') return '';
    return typeof d === 'string' ? d : JSON.stringify(d);
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

  async function load() {
    try {
      rows = (await get('audit')).data || [];
      render();
    } catch (err) {
      mount(list, h('div', { class: 'alert', role: 'alert' }, errorText(err)));
    }
  }
  await load();
});
