// The API key dialogs: create (then show the plaintext key once) and edit — name, daily
// limits per kind (empty = unlimited), allowed models (empty = all), expiry, enabled.
import { h, uid } from '../dom.js';
import { t } from '../i18n.js';
import { get, post, patch, enc, errorText } from '../api.js';
import { formDialog, infoDialog } from '../dialog.js';
import { copyButton } from '../copy.js';
import { toast } from '../toast.js';

export const KINDS = ['chat', 'heavy', 'image', 'video'];
const PRESETS = [
  ['keys.preset_unlimited', { chat: -1, heavy: -1, image: -1, video: -1 }],
  ['keys.preset_light', { chat: 100, heavy: 10, image: 20, video: 5 }],
  ['keys.preset_standard', { chat: 1000, heavy: 50, image: 200, video: 50 }],
];

function field(label, control, help) {
  const id = uid('f');
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, help ? h('p', { class: 'help' }, help) : null);
}

function userError(err) {
  const e = new Error(errorText(err));
  e.userMessage = errorText(err);
  return e;
}

// ms → yyyy-mm-dd (local) for <input type=date>, and back (end of that local day).
const toDateInput = (ts) => {
  if (!ts) return '';
  const d = new Date(ts);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
const fromDateInput = (v) => (v ? new Date(`${v}T23:59:59`).getTime() : 0);

function keyFields(k = {}) {
  const limits = k.limits || {};
  const name = h('input', { type: 'text', name: 'name', maxlength: '100', required: true, value: k.name || '', autocomplete: 'off' });
  const inputs = {};
  for (const kind of KINDS) {
    const v = limits[kind];
    inputs[kind] = h('input', { type: 'number', name: `limit_${kind}`, min: '0', step: '1', inputmode: 'numeric', placeholder: t('keys.unlimited'), value: v === undefined || v === null || v < 0 ? '' : String(v) });
  }
  const presets = h(
    'div',
    { class: 'row', role: 'group', 'aria-label': t('keys.presets') },
    h('span', { class: 'muted small' }, t('keys.presets')),
    PRESETS.map(([label, values]) =>
      h('button', { type: 'button', class: 'btn sm', onclick: () => {
        for (const kind of KINDS) inputs[kind].value = values[kind] < 0 ? '' : String(values[kind]);
      } }, t(label)),
    ),
  );
  const models = h('input', { type: 'text', name: 'allowed_models', class: 'mono', value: (k.allowed_models || []).join(', '), autocomplete: 'off', spellcheck: 'false', placeholder: 'grok-4, grok-imagine-1.0' });
  const picker = modelPicker(models);
  const expires = h('input', { type: 'date', name: 'expires', value: toDateInput(k.expires_at) });
  const initialExpiry = expires.value;
  const enabledId = uid('f');
  const enabled = h('input', { type: 'checkbox', id: enabledId, checked: k.enabled === undefined ? true : !!k.enabled });
  const nodes = [
    field(t('keys.name'), name, t('keys.name_help')),
    h('fieldset', { class: 'stack plain' }, h('legend', { class: 'label' }, t('keys.daily_limits')), presets, h('div', { class: 'form-grid' }, KINDS.map((kind) => field(t(`kind.${kind}`), inputs[kind])))),
    field(t('keys.allowed_models'), models, t('keys.allowed_help')),
    picker,
    field(t('keys.expires'), expires, t('keys.expires_help')),
    h('label', { class: 'check', for: enabledId }, enabled, t('keys.enabled_label')),
  ];
  const read = () => {
    const lim = {};
    for (const kind of KINDS) {
      const v = inputs[kind].value.trim();
      lim[kind] = v === '' ? -1 : Math.max(0, Math.floor(Number(v)));
    }
    const out = {
      name: name.value.trim(),
      limits: lim,
      allowed_models: models.value.split(/[\s,]+/).filter(Boolean),
      enabled: enabled.checked,
    };
    // An unchanged expiry is not sent again (a past one would no longer validate).
    if (!k.id || expires.value !== initialExpiry) out.expires_at = expires.value ? fromDateInput(expires.value) : null;
    return out;
  };
  return { nodes, read };
}

// Model ids from GET /api/admin/models as checkboxes that edit the comma-separated field.
let modelsCache = null;
function modelPicker(input) {
  const box = h('div', { class: 'model-grid' });
  const wrap = h('details', { class: 'small' }, h('summary', null, t('keys.pick_models')), box);
  const current = () => new Set(input.value.split(/[\s,]+/).filter(Boolean));
  const render = (list) => {
    const chosen = current();
    box.replaceChildren(
      ...list.map((m) => {
        const id = uid('m');
        const cb = h('input', { type: 'checkbox', id, checked: chosen.has(m.id) });
        cb.addEventListener('change', () => {
          const set = current();
          cb.checked ? set.add(m.id) : set.delete(m.id);
          input.value = [...set].join(', ');
        });
        return h('label', { class: 'check', for: id, title: m.display_name || m.id }, cb, h('span', { class: 'mono' }, m.id), h('span', { class: 'muted' }, t(`kind.${m.kind === 'image_edit' ? 'image' : m.kind}`)));
      }),
    );
  };
  wrap.addEventListener('toggle', async () => {
    if (!wrap.open) return;
    try {
      modelsCache = modelsCache || ((await get('models')).data || []);
      render(modelsCache);
    } catch (err) {
      box.replaceChildren(h('p', { class: 'muted' }, errorText(err)));
    }
  });
  input.addEventListener('input', () => modelsCache && wrap.open && render(modelsCache));
  return wrap;
}

export async function showNewKey(key) {
  const box = h('div', { class: 'secret-box', 'data-testid': 'new-key' }, key);
  await infoDialog({
    title: t('keys.created_title'),
    body: h(
      'div',
      { class: 'stack' },
      h('div', { class: 'alert warn' }, t('keys.shown_once')),
      box,
      h('div', { class: 'row' }, copyButton(key, { label: t('keys.copy_key'), small: false })),
      h('p', { class: 'muted small' }, t('keys.usage_hint', { base: `${location.origin}/v1` })),
    ),
    closeLabel: t('keys.saved_it'),
  });
}

export function keyForms({ reload }) {
  async function create() {
    const f = keyFields();
    const res = await formDialog({
      title: t('keys.create_title'),
      body: f.nodes,
      submitLabel: t('keys.create'),
      onSubmit: async () => {
        try {
          const v = f.read();
          const body = { name: v.name, limits: v.limits, allowed_models: v.allowed_models, expires_at: v.expires_at ?? null };
          const created = await post('keys', body);
          if (!v.enabled && created && created.data && created.data.id) await patch(`keys/${enc(created.data.id)}`, { enabled: false });
          return created;
        } catch (err) {
          throw userError(err);
        }
      },
    });
    if (res && res.key) {
      await reload();
      await showNewKey(res.key);
    }
  }

  async function edit(k) {
    const f = keyFields(k);
    const done = await formDialog({
      title: t('keys.edit_title', { name: k.name }),
      body: f.nodes,
      onSubmit: async () => {
        try {
          return await patch(`keys/${enc(k.id)}`, f.read());
        } catch (err) {
          throw userError(err);
        }
      },
    });
    if (done) {
      toast(t('common.saved'));
      await reload();
    }
  }

  return { create, edit };
}
