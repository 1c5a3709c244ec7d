// The token dialogs: add one token, import many from pasted text, edit tier/note/enabled.
import { h, uid } from '../dom.js';
import { t } from '../i18n.js';
import { post, patch, enc, errorText } from '../api.js';
import { formDialog } from '../dialog.js';
import { toast } from '../toast.js';

// 'auto': the gateway sets the tier from the plan / quota Grok reports at each quota refresh.
const TIERS = ['basic', 'super', 'heavy', 'auto'];

function field(label, control, help) {
  const id = uid('f');
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, help ? h('p', { class: 'help' }, help) : null);
}

const tierSelect = (value = 'basic') => h('select', { name: 'tier' }, TIERS.map((x) => h('option', { value: x, selected: x === value }, t(`tier.${x}`))));

function userError(err) {
  const e = new Error(errorText(err));
  e.userMessage = errorText(err);
  return e;
}

export function tokenForms({ reload }) {
  async function add() {
    const token = h('input', { type: 'text', name: 'token', class: 'mono', required: true, autocomplete: 'off', spellcheck: 'false' });
    const tier = tierSelect();
    const note = h('input', { type: 'text', name: 'note', maxlength: '200', autocomplete: 'off' });
    const done = await formDialog({
      title: t('tokens.add_title'),
      body: [field(t('tokens.token_value'), token, t('tokens.token_help')), field(t('tokens.tier'), tier), field(t('tokens.note'), note)],
      submitLabel: t('tokens.add'),
      onSubmit: async () => {
        try {
          return await post('tokens', { token: token.value.trim(), tier: tier.value, note: note.value });
        } catch (err) {
          throw userError(err);
        }
      },
    });
    if (done) {
      toast(t('tokens.added_ok'));
      await reload();
    }
  }

  async function importText() {
    const text = h('textarea', { name: 'text', class: 'mono', rows: '8', required: true, spellcheck: 'false', autocomplete: 'off' });
    const tier = tierSelect();
    const res = await formDialog({
      title: t('tokens.import_title'),
      body: [field(t('tokens.import_text'), text, t('tokens.import_help')), field(t('tokens.tier'), tier)],
      submitLabel: t('tokens.import'),
      onSubmit: async () => {
        try {
          return await post('tokens/import', { text: text.value, tier: tier.value });
        } catch (err) {
          throw userError(err);
        }
      },
    });
    if (res) {
      toast(t('tokens.import_result', { added: res.added ?? 0, duplicates: res.duplicates ?? 0, rejected: res.rejected ?? 0 }), { error: (res.rejected ?? 0) > 0 });
      await reload();
    }
  }

  async function edit(tk) {
    const tier = tierSelect(tk.tier_source === 'auto' ? 'auto' : tk.tier);
    const note = h('input', { type: 'text', name: 'note', maxlength: '200', value: tk.note || '', autocomplete: 'off' });
    const enabledId = uid('f');
    const enabled = h('input', { type: 'checkbox', id: enabledId, checked: !!tk.enabled });
    const done = await formDialog({
      title: t('tokens.edit_title', { token: tk.masked }),
      body: [field(t('tokens.tier'), tier), field(t('tokens.note'), note), h('label', { class: 'check', for: enabledId }, enabled, t('tokens.enabled_label'))],
      onSubmit: async () => {
        try {
          return await patch(`tokens/${enc(tk.id)}`, { tier: tier.value, note: note.value, enabled: enabled.checked });
        } catch (err) {
          throw userError(err);
        }
      },
    });
    if (done !== null) {
      toast(t('common.saved'));
      await reload();
    }
  }

  return { add, importText, edit };
}
