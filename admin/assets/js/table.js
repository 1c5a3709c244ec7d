// Data tables: columns [{label, cell(row) → node|string, class}] → <table> whose cells carry
// data-label, so CSS can stack each row as a card on phones. `empty` is shown for no rows.
import { h } from './dom.js';

export function dataTable(columns, rows, { empty, caption, rowClass } = {}) {
  if (!rows.length) return empty;
  const head = h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.class || null }, c.label))));
  const body = h(
    'tbody',
    null,
    rows.map((r) =>
      h(
        'tr',
        { class: rowClass ? rowClass(r) : null },
        columns.map((c) => h('td', { 'data-label': c.label, class: c.class || null }, c.cell(r))),
      ),
    ),
  );
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data' }, caption ? h('caption', { class: 'sr-only' }, caption) : null, head, body));
}

export function emptyState(title, text, ...actions) {
  return h('div', { class: 'card empty' }, h('strong', null, title), text ? h('p', null, text) : null, actions.length ? h('div', { class: 'row', 'data-center': '' }, actions) : null);
}
