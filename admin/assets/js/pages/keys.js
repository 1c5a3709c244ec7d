// /admin/keys: API keys for /v1 — counts, search and status filter, usage today against the
// daily limits, create (plaintext shown once), edit, enable/disable and delete.
import { h, mount, uid } from '../dom.js';
import { t } from '../i18n.js';
import { get, patch, del, enc, errorText } from '../api.js';
import { adminPage, pageHead } from '../shell.js';
import { confirmDialog } from '../dialog.js';
import { dataTable, emptyState } from '../table.js';
import { num, relTime, dateTime } from '../format.js';
import { toast } from '../toast.js';
import { keyForms, KINDS } from './key-forms.js';

export function keyState(k, now = Date.now()) {
  if (!k.enabled) return 'disabled';
  if (k.expires_at && k.expires_at <= now) return 'expired';
  const lim = k.limits || {};
  const used = k.usage_today || {};
  if (KINDS.some((kind) => lim[kind] > 0 && (used[kind] || 0) >= lim[kind])) return 'exhausted';
  return 'active';
}
const TONE = { active: 'ok', disabled: '', expired: 'err', exhausted: 'warn' };

function labelled(label, control) {
  const id = uid('f');
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

function usageCell(k) {
  const lim = k.limits || {};
  const used = k.usage_today || {};
  return h(
    'div',
    { class: 'quota' },
    KINDS.map((kind) => {
      const l = lim[kind];
      const u = used[kind] || 0;
      const tone = l >= 0 && u >= l ? 'warn' : '';
      return h('span', { class: `badge ${tone}`, title: t(`kind.${kind}`) }, `${t(`kind.${kind}`)} ${num(u)}/${l === undefined || l < 0 ? '∞' : num(l)}`);
    }),
  );
}

adminPage('/admin/keys', async (main) => {
  const state = { data: [], q: '', status: '' };
  const forms = keyForms({ reload: () => load() });
  const statsBox = h('div', { class: 'stats' });
  const list = h('div', null, h('p', { class: 'loading' }, t('common.loading')));
  const q = h('input', { type: 'search', placeholder: t('keys.search_ph') });
  const statusSel = h('select', null, [['', t('common.all')], ...['active', 'disabled', 'expired', 'exhausted'].map((x) => [x, t(`keys.${x}`)])].map(([v, l]) => h('option', { value: v }, l)));
  q.addEventListener('input', () => ((state.q = q.value.trim().toLowerCase()), render()));
  statusSel.addEventListener('change', () => ((state.status = statusSel.value), render()));

  mount(
    main,
    pageHead(t('keys.title'), t('keys.sub'), h('button', { type: 'button', class: 'btn primary', onclick: forms.create }, t('keys.create')), h('button', { type: 'button', class: 'btn', onclick: () => load() }, t('common.refresh'))),
    statsBox,
    h('div', { class: 'toolbar', role: 'search' }, labelled(t('common.search'), q), labelled(t('keys.status'), statusSel)),
    list,
  );

  async function load() {
    try {
      state.data = (await get('keys')).data || [];
      render();
    } catch (err) {
      mount(list, h('div', { class: 'alert', role: 'alert' }, errorText(err)));
    }
  }

  async function toggle(k) {
    try {
      await patch(`keys/${enc(k.id)}`, { enabled: !k.enabled });
      toast(k.enabled ? t('keys.disabled_ok') : t('keys.enabled_ok'));
    } catch (err) {
      toast(errorText(err), { error: true });
    }
    await load();
  }

  async function remove(k) {
    if (!(await confirmDialog({ title: t('keys.delete_title'), message: t('keys.delete_msg', { name: k.name }), confirmLabel: t('common.delete') }))) return;
    try {
      await del(`keys/${enc(k.id)}`);
      toast(t('keys.deleted'));
    } catch (err) {
      toast(errorText(err), { error: true });
    }
    await load();
  }

  function render() {
    const counts = { total: state.data.length, active: 0, disabled: 0, expired: 0, exhausted: 0 };
    for (const k of state.data) counts[keyState(k)]++;
    const s = (label, v, tone) => h('div', { class: `stat ${tone || ''}` }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, num(v)));
    mount(statsBox, s(t('keys.total'), counts.total), s(t('keys.active'), counts.active, 'ok'), s(t('keys.disabled'), counts.disabled), s(t('keys.exhausted'), counts.exhausted, counts.exhausted ? 'warn' : ''), s(t('keys.expired'), counts.expired, counts.expired ? 'err' : ''));
    if (!state.data.length) {
      mount(list, emptyState(t('keys.empty_title'), t('keys.empty_text'), h('button', { type: 'button', class: 'btn primary', onclick: forms.create }, t('keys.create'))));
      return;
    }
    const rows = state.data.filter((k) => (!state.status || keyState(k) === state.status) && (!state.q || `${k.name} ${k.hint}`.toLowerCase().includes(state.q)));
    mount(
      list,
      dataTable(
        [
          { label: t('keys.name'), cell: (k) => h('div', null, h('div', { class: 'key-name' }, k.name || '—'), h('div', { class: 'mono muted small nowrap' }, k.hint || '')) },
          { label: t('keys.status'), cell: (k) => h('span', { class: `badge ${TONE[keyState(k)]}` }, t(`keys.${keyState(k)}`)) },
          { label: t('keys.usage_today'), cell: usageCell },
          { label: t('keys.models'), cell: (k) => (k.allowed_models && k.allowed_models.length ? h('span', { class: 'mono small' }, k.allowed_models.join(', ')) : h('span', { class: 'muted' }, t('keys.all_models'))) },
          { label: t('keys.expires'), cell: (k) => (k.expires_at ? dateTime(k.expires_at) : t('keys.never_expires')) },
          { label: t('keys.last_used'), cell: (k) => relTime(k.last_used_at) },
          { label: t('keys.created'), cell: (k) => relTime(k.created_at) },
          {
            label: t('common.actions'),
            class: 'actions',
            cell: (k) =>
              h(
                'div',
                { class: 'row' },
                h('button', { type: 'button', class: 'btn sm', onclick: () => forms.edit(k) }, t('common.edit')),
                h('button', { type: 'button', class: 'btn sm', onclick: () => toggle(k) }, k.enabled ? t('keys.disable') : t('keys.enable')),
                h('button', { type: 'button', class: 'btn sm danger', 'aria-label': `${t('common.delete')} ${k.name}`, onclick: () => remove(k) }, t('common.delete')),
              ),
          },
        ],
        rows,
        { empty: emptyState(t('common.no_match'), t('common.no_match_text')), caption: t('keys.title') },
      ),
    );
  }

  await load();
});
