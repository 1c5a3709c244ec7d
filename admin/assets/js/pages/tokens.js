// /admin/tokens: the Grok account pool. Counts, filters, per-bucket quota, add one, import
// many from pasted text, export, and per-token (or batch) test, quota refresh, edit, enable
// and delete. Every change is one call for one token; nothing replaces the pool.
import { h, mount, uid } from '../dom.js';
import { t } from '../i18n.js';
import { get, post, patch, del, enc, errorText } from '../api.js';
import { adminPage, pageHead } from '../shell.js';
import { confirmDialog, formDialog, infoDialog } from '../dialog.js';
import { dataTable, emptyState } from '../table.js';
import { num, relTime, dateTime } from '../format.js';
import { toast } from '../toast.js';
import { tokenForms } from './token-forms.js';

const TIERS = ['basic', 'super', 'heavy'];
const state = { data: [], counts: {}, filter: { q: '', tier: '', status: '' }, selected: new Set(), busy: new Set() };

export function tokenState(tk, now = Date.now()) {
  if (tk.state) return tk.state;
  if (tk.status === 'invalid') return 'invalid';
  if (!tk.enabled) return 'disabled';
  if ((tk.cooldown_until || 0) > now || (tk.buckets || []).some((b) => (b.cooling_until || 0) > now)) return 'cooling';
  return 'active';
}
const TONE = { active: 'ok', cooling: 'warn', invalid: 'err', disabled: '' };

function labelled(label, control) {
  const id = uid('f');
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

function select(options, value) {
  return h('select', null, options.map(([v, l]) => h('option', { value: v, selected: v === value }, l)));
}

function quotaCell(tk) {
  const now = Date.now();
  const buckets = tk.buckets || [];
  if (!buckets.length) return h('span', { class: 'muted small' }, t('tokens.quota_unknown'));
  return h(
    'div',
    { class: 'quota' },
    buckets.map((b) => {
      const cooling = (b.cooling_until || 0) > now;
      const tone = cooling ? 'warn' : b.remaining === 0 ? 'err' : '';
      const text = `${b.bucket} ${b.remaining ?? '?'}${b.total ? `/${b.total}` : ''}`;
      const title = cooling ? t('tokens.cooling_until', { time: dateTime(b.cooling_until) }) : t('tokens.refreshed', { time: relTime(b.refreshed_at) });
      return h('span', { class: `badge ${tone}`, title }, text);
    }),
    h('button', { type: 'button', class: 'btn sm ghost', onclick: () => showQuota(tk) }, t('tokens.details')),
  );
}

function showQuota(tk) {
  const rows = (tk.buckets || []).map((b) => b);
  infoDialog({
    title: t('tokens.quota_of', { token: tk.masked }),
    body: dataTable(
      [
        { label: t('tokens.bucket'), cell: (b) => b.bucket },
        { label: t('tokens.remaining'), cell: (b) => `${b.remaining ?? '?'} / ${b.total ?? '?'}` },
        { label: t('tokens.window'), cell: (b) => (b.window_s ? `${num(Math.round(b.window_s / 60))} min` : '—') },
        { label: t('tokens.refreshed_at'), cell: (b) => relTime(b.refreshed_at) },
        { label: t('tokens.cooling'), cell: (b) => ((b.cooling_until || 0) > Date.now() ? `${dateTime(b.cooling_until)}${b.cooling_reason ? ` (${b.cooling_reason})` : ''}` : '—') },
      ],
      rows,
      { empty: h('p', { class: 'muted' }, t('tokens.quota_unknown')) },
    ),
  });
}

// Chat models for the test dialog (GET /api/admin/models), fetched once.
let chatModels = null;
async function loadChatModels() {
  if (!chatModels) chatModels = ((await get('models')).data || []).filter((m) => m.kind === 'chat');
  return chatModels;
}

// Asks which chat model to test with (remembered), then runs the test and shows the outcome.
async function testWithModel(tk) {
  let models = [];
  try {
    models = await loadChatModels();
  } catch {
    /* the server default is used */
  }
  const saved = localStorage.getItem('g2a.tokens.testModel') || '';
  const sel = h('select', null, h('option', { value: '' }, t('tokens.test_default_model')), models.map((m) => h('option', { value: m.id, selected: m.id === saved }, `${m.id} (${t(`tier.${m.tier}`)})`)));
  const model = await formDialog({
    title: t('tokens.test_of', { token: tk.masked }),
    body: [labelled(t('tokens.test_model_label'), sel), h('p', { class: 'muted small' }, t('tokens.test_help'))],
    submitLabel: t('tokens.test'),
    onSubmit: async () => sel.value || '-',
  });
  if (!model) return null;
  localStorage.setItem('g2a.tokens.testModel', sel.value);
  return testToken(tk, { model: sel.value || undefined });
}

async function testToken(tk, { quiet = false, model } = {}) {
  const res = await post(`tokens/${enc(tk.id)}/test`, model ? { model } : {});
  if (quiet) return res;
  const lines = [];
  if (res.ok) {
    lines.push(h('div', { class: 'alert ok' }, t('tokens.test_ok')));
    if (res.reply) lines.push(h('p', null, h('strong', null, t('tokens.reply')), ' ', h('span', { class: 'pre' }, res.reply)));
    if (res.model) lines.push(h('p', { class: 'muted small' }, t('tokens.test_model', { model: res.model, n: res.completion_tokens ?? '?' })));
    if (res.reactivated) lines.push(h('p', { class: 'muted' }, t('tokens.reactivated')));
  } else {
    lines.push(h('div', { class: 'alert' }, t('tokens.test_failed', { failure: res.failure || '?' })));
    if (res.detail) lines.push(h('p', { class: 'pre small mono' }, res.detail));
    if (res.retry_after_s) lines.push(h('p', { class: 'muted small' }, t('tokens.retry_after', { n: res.retry_after_s })));
  }
  await infoDialog({ title: t('tokens.test_of', { token: tk.masked }), body: h('div', { class: 'stack' }, lines) });
  return res;
}

adminPage('/admin/tokens', async (main) => {
  const forms = tokenForms({ reload: () => load() });
  const statsBox = h('div', { class: 'stats' });
  const list = h('div', null, h('p', { class: 'loading' }, t('common.loading')));
  const batchBox = h('div');

  const q = h('input', { type: 'search', placeholder: t('tokens.search_ph') });
  const tierSel = select([['', t('common.all')], ...TIERS.map((x) => [x, t(`tier.${x}`)])], '');
  const statusSel = select([['', t('common.all')], ...['active', 'cooling', 'invalid', 'disabled'].map((x) => [x, t(`tokens.${x}`)])], '');
  q.addEventListener('input', () => ((state.filter.q = q.value.trim().toLowerCase()), render()));
  tierSel.addEventListener('change', () => ((state.filter.tier = tierSel.value), render()));
  statusSel.addEventListener('change', () => ((state.filter.status = statusSel.value), render()));
  const clear = h('button', { type: 'button', class: 'btn', onclick: () => {
    q.value = tierSel.value = statusSel.value = '';
    state.filter = { q: '', tier: '', status: '' };
    render();
  } }, t('common.clear_filters'));

  mount(
    main,
    pageHead(
      t('tokens.title'),
      t('tokens.sub'),
      h('button', { type: 'button', class: 'btn primary', onclick: forms.add }, t('tokens.add')),
      h('button', { type: 'button', class: 'btn', onclick: forms.importText }, t('tokens.import')),
      h('a', { class: 'btn', href: '/api/admin/tokens/export', download: 'tokens.txt' }, t('tokens.export')),
      h('button', { type: 'button', class: 'btn', onclick: () => load() }, t('common.refresh')),
    ),
    statsBox,
    h('div', { class: 'toolbar', role: 'search' }, labelled(t('common.search'), q), labelled(t('tokens.tier'), tierSel), labelled(t('tokens.status'), statusSel), clear),
    list,
    batchBox,
  );

  async function load() {
    try {
      const res = await get('tokens');
      state.data = res.data || [];
      state.counts = res.counts || {};
      const ids = new Set(state.data.map((x) => x.id));
      for (const id of [...state.selected]) if (!ids.has(id)) state.selected.delete(id);
      render();
    } catch (err) {
      mount(list, h('div', { class: 'alert', role: 'alert' }, errorText(err)));
    }
  }

  function visible() {
    const f = state.filter;
    return state.data.filter((tk) => {
      if (f.tier && tk.tier !== f.tier) return false;
      if (f.status && tokenState(tk) !== f.status) return false;
      if (f.q && !`${tk.masked} ${tk.note || ''} ${tk.id} ${tk.status_reason || ''}`.toLowerCase().includes(f.q)) return false;
      return true;
    });
  }

  function renderStats() {
    const c = state.counts;
    const s = (label, v, tone) => h('div', { class: `stat ${tone || ''}` }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, num(v ?? 0)));
    mount(statsBox, s(t('tokens.total'), c.total), s(t('tokens.active'), c.active, 'ok'), s(t('tokens.cooling'), c.cooling, c.cooling ? 'warn' : ''), s(t('tokens.invalid'), c.invalid, c.invalid ? 'err' : ''), s(t('tokens.disabled'), c.disabled));
  }

  async function act(tk, fn, okMsg) {
    state.busy.add(tk.id);
    render();
    try {
      await fn();
      if (okMsg) toast(okMsg);
    } catch (err) {
      toast(errorText(err), { error: true });
    } finally {
      state.busy.delete(tk.id);
      await load();
    }
  }

  function rowActions(tk) {
    const busy = state.busy.has(tk.id);
    return h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', class: 'btn sm', disabled: busy, onclick: () => act(tk, () => testWithModel(tk)) }, t('tokens.test')),
      h('button', { type: 'button', class: 'btn sm', disabled: busy, onclick: () => act(tk, () => post(`tokens/${enc(tk.id)}/refresh`, {}), t('tokens.refreshed_ok')) }, t('tokens.refresh_quota')),
      h('button', { type: 'button', class: 'btn sm', disabled: busy, onclick: () => forms.edit(tk) }, t('common.edit')),
      h('button', { type: 'button', class: 'btn sm danger', disabled: busy, 'aria-label': `${t('common.delete')} ${tk.masked}`, onclick: () => removeOne(tk) }, t('common.delete')),
    );
  }

  async function removeOne(tk) {
    const ok = await confirmDialog({ title: t('tokens.delete_title'), message: t('tokens.delete_msg', { token: tk.masked }), confirmLabel: t('common.delete') });
    if (ok) await act(tk, () => del(`tokens/${enc(tk.id)}`), t('tokens.deleted'));
  }

  function render() {
    renderStats();
    const rows = visible();
    if (!state.data.length) {
      mount(list, emptyState(t('tokens.empty_title'), t('tokens.empty_text'), h('button', { type: 'button', class: 'btn primary', onclick: forms.importText }, t('tokens.import'))));
      renderBatch();
      return;
    }
    const all = h('input', { type: 'checkbox', 'aria-label': t('common.select_all') });
    all.checked = rows.length > 0 && rows.every((r) => state.selected.has(r.id));
    all.addEventListener('change', () => {
      for (const r of rows) all.checked ? state.selected.add(r.id) : state.selected.delete(r.id);
      render();
    });
    const cols = [
      {
        label: t('common.select'),
        class: 'no-label',
        cell: (tk) => {
          const cb = h('input', { type: 'checkbox', 'aria-label': t('tokens.select_one', { token: tk.masked }) });
          cb.checked = state.selected.has(tk.id);
          cb.addEventListener('change', () => {
            cb.checked ? state.selected.add(tk.id) : state.selected.delete(tk.id);
            renderBatch();
          });
          return cb;
        },
      },
      { label: t('tokens.token'), cell: (tk) => h('div', null, h('div', { class: 'mono' }, tk.masked), h('div', { class: 'muted small' }, t('tokens.added', { time: relTime(tk.created_at) }))) },
      {
        label: t('tokens.tier'),
        cell: (tk) =>
          h(
            'div',
            null,
            h('span', { class: 'badge accent' }, t(`tier.${tk.tier}`)),
            tk.tier_source === 'auto' ? h('span', { class: 'muted small' }, ` ${t('tier.detected')}`) : null,
            tk.plan ? h('div', { class: 'muted small' }, tk.plan) : null,
          ),
      },
      {
        label: t('tokens.status'),
        cell: (tk) => {
          const st = tokenState(tk);
          return h('div', null, h('span', { class: `badge ${TONE[st]}` }, t(`tokens.${st}`)), tk.status_reason ? h('div', { class: 'muted small' }, tk.status_reason) : null);
        },
      },
      { label: t('tokens.quota'), cell: quotaCell },
      { label: t('tokens.last_used'), cell: (tk) => h('div', null, relTime(tk.last_used_at), tk.inflight ? h('div', { class: 'muted small' }, t('tokens.inflight', { n: tk.inflight })) : null) },
      { label: t('tokens.failures'), cell: (tk) => h('span', { title: t('tokens.consecutive', { n: tk.consecutive_failures || 0 }) }, `${num(tk.failures || 0)}${tk.consecutive_failures ? ` (${tk.consecutive_failures})` : ''}`) },
      { label: t('tokens.note'), cell: (tk) => h('span', { class: 'token-note' }, tk.note || '') },
      { label: t('common.actions'), class: 'actions', cell: rowActions },
    ];
    cols[0].label = '';
    const table = dataTable(cols, rows, { empty: emptyState(t('common.no_match'), t('common.no_match_text')), caption: t('tokens.title') });
    const th = table.querySelector && table.querySelector('thead th');
    if (th) th.append(all);
    mount(list, table);
    renderBatch();
  }

  let stop = false;
  function renderBatch() {
    const n = state.selected.size;
    if (!n) return mount(batchBox);
    const chosen = () => state.data.filter((x) => state.selected.has(x.id));
    const progress = h('span', { class: 'muted small', 'aria-live': 'polite' });
    const run = async (label, fn, confirm) => {
      const items = chosen();
      if (confirm && !(await confirmDialog(confirm))) return;
      stop = false;
      stopBtn.hidden = false;
      let done = 0;
      let failed = 0;
      for (const tk of items) {
        if (stop) break;
        progress.textContent = t('tokens.batch_progress', { action: label, done, total: items.length });
        try {
          await fn(tk);
        } catch {
          failed++;
        }
        done++;
      }
      toast(t('tokens.batch_done', { action: label, done, failed }), { error: failed > 0 });
      state.selected.clear();
      await load();
    };
    const stopBtn = h('button', { type: 'button', class: 'btn sm', hidden: true, onclick: () => (stop = true) }, t('common.stop'));
    mount(
      batchBox,
      h(
        'div',
        { class: 'batch-bar', role: 'region', 'aria-label': t('tokens.batch') },
        h('strong', null, t('tokens.n_selected', { n })),
        h('button', { type: 'button', class: 'btn sm', onclick: () => run(t('tokens.refresh_quota'), (tk) => post(`tokens/${enc(tk.id)}/refresh`, {})) }, t('tokens.refresh_quota')),
        h('button', { type: 'button', class: 'btn sm', onclick: () => run(t('tokens.test'), async (tk) => {
          const r = await testToken(tk, { quiet: true });
          if (!r.ok) throw new Error(r.failure);
        }) }, t('tokens.test')),
        h('button', { type: 'button', class: 'btn sm', onclick: () => run(t('tokens.enable'), (tk) => patch(`tokens/${enc(tk.id)}`, { enabled: true })) }, t('tokens.enable')),
        h('button', { type: 'button', class: 'btn sm', onclick: () => run(t('tokens.disable'), (tk) => patch(`tokens/${enc(tk.id)}`, { enabled: false })) }, t('tokens.disable')),
        h('button', { type: 'button', class: 'btn sm danger', onclick: () => run(t('common.delete'), (tk) => del(`tokens/${enc(tk.id)}`), { title: t('tokens.delete_many_title'), message: t('tokens.delete_many_msg', { n }), confirmLabel: t('common.delete') }) }, t('common.delete')),
        h('button', { type: 'button', class: 'btn sm ghost', onclick: () => (state.selected.clear(), render()) }, t('common.clear_selection')),
        stopBtn,
        progress,
      ),
    );
  }

  await load();
});
