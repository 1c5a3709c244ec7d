// /admin/cache: the KV media cache — count and bytes, a paged list with open and delete, and
// "clear all" (each destructive action confirmed).
import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { get, post, del, enc, errorText } from '../api.js';
import { adminPage, pageHead } from '../shell.js';
import { confirmDialog } from '../dialog.js';
import { dataTable, emptyState } from '../table.js';
import { num, bytes, dateTime, relTime } from '../format.js';
import { toast } from '../toast.js';

adminPage('/admin/cache', async (main) => {
  const state = { rows: [], next: null, count: 0, bytes: 0 };
  const statsBox = h('div', { class: 'stats' });
  const list = h('div', null, h('p', { class: 'loading' }, t('common.loading')));
  const more = h('button', { type: 'button', class: 'btn', hidden: true, onclick: () => load(true) }, t('common.load_more'));
  const clearBtn = h('button', { type: 'button', class: 'btn danger', onclick: clearAll }, t('cache.clear_all'));
  mount(main, pageHead(t('cache.title'), t('cache.sub'), clearBtn, h('button', { type: 'button', class: 'btn', onclick: () => load(false) }, t('common.refresh'))), statsBox, list, h('div', { class: 'row' }, more));

  async function clearAll() {
    if (!(await confirmDialog({ title: t('cache.clear_title'), message: t('cache.clear_msg', { n: num(state.count), size: bytes(state.bytes) }), confirmLabel: t('cache.clear_all') }))) return;
    clearBtn.disabled = true;
    try {
      // The server deletes in bounded rounds; repeat until it reports done.
      let deleted = 0;
      for (let round = 0; round < 100; round++) {
        const res = (await post('cache/clear', {})) || {};
        deleted += Number(res.deleted) || 0;
        if (res.done !== false) break;
      }
      toast(t('cache.cleared', { n: num(deleted) }));
    } catch (err) {
      toast(errorText(err), { error: true });
    }
    await load(false);
  }

  async function remove(r) {
    if (!(await confirmDialog({ title: t('cache.delete_title'), message: t('cache.delete_msg', { size: bytes(r.size) }), confirmLabel: t('common.delete') }))) return;
    try {
      await del(`cache/${enc(r.key)}`);
      toast(t('cache.deleted'));
    } catch (err) {
      toast(errorText(err), { error: true });
    }
    await load(false);
  }

  async function load(append) {
    const p = new URLSearchParams({ limit: '50' });
    if (append && state.next) p.set('cursor', state.next);
    try {
      const res = await get(`cache?${p}`);
      state.rows = append ? state.rows.concat(res.data || []) : res.data || [];
      state.next = res.next_cursor || null;
      state.count = res.count || 0;
      state.bytes = res.bytes || 0;
      render();
    } catch (err) {
      mount(list, h('div', { class: 'alert', role: 'alert' }, errorText(err)));
    }
  }

  function render() {
    const s = (label, v) => h('div', { class: 'stat' }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, v));
    mount(statsBox, s(t('cache.items'), num(state.count)), s(t('cache.size'), bytes(state.bytes)));
    clearBtn.disabled = !state.count;
    more.hidden = !state.next;
    mount(
      list,
      dataTable(
        [
          { label: t('cache.media'), cell: (r) => h('span', { class: 'mono small', title: r.media_id }, `${String(r.media_id || r.key).slice(0, 24)}…`) },
          { label: t('cache.type'), cell: (r) => h('span', { class: 'badge' }, r.content_type || '?') },
          { label: t('cache.size'), cell: (r) => bytes(r.size) },
          { label: t('cache.created'), cell: (r) => h('span', { title: dateTime(r.created_at) }, relTime(r.created_at)) },
          { label: t('cache.expires'), cell: (r) => h('span', { title: dateTime(r.expires_at) }, relTime(r.expires_at)) },
          { label: t('cache.hits'), cell: (r) => num(r.hits) },
          {
            label: t('common.actions'),
            class: 'actions',
            cell: (r) =>
              h(
                'div',
                { class: 'row' },
                r.media_id ? h('a', { class: 'btn sm', href: `/images/${enc(r.media_id)}`, target: '_blank', rel: 'noopener noreferrer' }, t('cache.open')) : null,
                h('button', { type: 'button', class: 'btn sm danger', onclick: () => remove(r) }, t('common.delete')),
              ),
          },
        ],
        state.rows,
        { empty: emptyState(t('cache.empty_title'), t('cache.empty_text')), caption: t('cache.title') },
      ),
    );
  }
  await load(false);
});
