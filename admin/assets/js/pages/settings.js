// /admin/settings: every runtime setting from GET /api/admin/settings, grouped, with a control
// per type (Int, Bool, Enum, Url, String, IntList), secrets write-only (shown masked), per-field
// validation errors from PUT (400 names the field), and a save bar for unsaved changes.
import { h, mount, uid } from '../dom.js';
import { t, has } from '../i18n.js';
import { get, put, errorText, ApiError } from '../api.js';
import { adminPage, pageHead } from '../shell.js';
import { toast } from '../toast.js';
import { confirmDialog } from '../dialog.js';

const GROUPS = [
  ['upstream', ['grok_base_url', 'grok_ws_url', 'grok_assets_url', 'chat_transport', 'user_agent', 'accept_language']],
  ['antibot', ['cf_clearance', 'cf_cookies', 'statsig_mode', 'statsig_seed', 'statsig_key', 'statsig_indices', 'statsig_flavor', 'statsig_manual', 'statsig_fallback', 'statsig_refresh_interval_s']],
  ['conversation', ['temporary_chat', 'chat_continuation', 'disable_memory', 'reasoning_output', 'sources_list', 'filtered_tags', 'claude_model_map', 'thinking_signing_key']],
  ['reliability', ['first_byte_timeout_s', 'idle_timeout_s', 'total_timeout_s', 'stream_keepalive_s', 'max_retries', 'failure_threshold', 'failure_cooldown_s', 'rate_limit_cooldown_s', 'token_max_inflight', 'quota_refresh_s', 'quality_loop_min_span', 'quality_loop_repeats', 'quality_reasoning_modes']],
  ['media', ['image_generation_method', 'media_base_url', 'video_html', 'max_images_per_request', 'max_image_bytes', 'image_hosts']],
  ['logs', ['log_retention_days']],
];

function groupOf(key) {
  for (const [g, keys] of GROUPS) if (keys.includes(key)) return g;
  return 'other';
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// One setting row: returns {el, read() → {changed, value}, setError(msg), focus()}.
function settingRow(item) {
  const id = uid('s');
  const label = has(`sl.${item.key}`) ? t(`sl.${item.key}`) : item.key;
  const desc = has(`sd.${item.key}`) ? t(`sd.${item.key}`) : item.description || '';
  const errText = h('p', { class: 'err-text', id: `${id}-err`, hidden: true });
  const help = h('p', { class: 'help', id: `${id}-help` }, desc);
  let control;
  let read;
  let reset = null;
  let cleared = false;
  // The API names types in lower case (int, bool, enum, url, string, int_list).
  const type = String(item.type || '').toLowerCase().replace('_', '');
  const choices = Array.isArray(item.choices) ? item.choices : String(item.choices || '').split('|').filter(Boolean);

  if (item.secret) {
    const inp = h('input', { type: 'password', id, autocomplete: 'new-password', spellcheck: 'false', class: 'mono', placeholder: item.set ? t('settings.secret_set', { masked: item.masked || '••••' }) : t('settings.secret_unset') });
    const clearBtn = h('button', { type: 'button', class: 'btn sm', disabled: !item.set }, t('settings.clear_secret'));
    clearBtn.addEventListener('click', () => {
      cleared = true;
      inp.value = '';
      inp.placeholder = t('settings.will_clear');
      inp.dispatchEvent(new Event('input', { bubbles: true }));
    });
    read = () => (inp.value !== '' ? { changed: true, value: inp.value } : cleared ? { changed: true, value: '' } : { changed: false });
    control = h('div', { class: 'input-row' }, inp, clearBtn);
  } else if (type === 'bool') {
    const cb = h('input', { type: 'checkbox', id, checked: !!item.value });
    control = h('label', { class: 'check', for: id }, cb, t('settings.enabled'));
    read = () => ({ changed: cb.checked !== !!item.value, value: cb.checked });
    reset = () => (cb.checked = !!item.default);
  } else if (type === 'enum') {
    const sel = h('select', { id }, choices.map((c) => h('option', { value: c, selected: c === item.value }, has(`choice.${c}`) ? `${c} — ${t(`choice.${c}`)}` : c)));
    control = sel;
    read = () => ({ changed: sel.value !== item.value, value: sel.value });
    reset = () => (sel.value = item.default);
  } else if (type === 'int') {
    const inp = h('input', { type: 'number', id, step: '1', inputmode: 'numeric', min: item.min ?? null, max: item.max ?? null, value: item.value ?? '' });
    control = inp;
    read = () => {
      const v = inp.value.trim() === '' ? null : Number(inp.value);
      return { changed: v !== item.value, value: v };
    };
    reset = () => (inp.value = item.default ?? '');
  } else if (type === 'intlist') {
    const inp = h('input', { type: 'text', id, class: 'mono', value: (item.value || []).join(', '), spellcheck: 'false' });
    control = inp;
    const parse = () => inp.value.split(/[\s,]+/).filter(Boolean).map((x) => (/^-?\d+$/.test(x) ? Number(x) : x));
    read = () => ({ changed: !same(parse(), item.value || []), value: parse() });
    reset = () => (inp.value = (item.default || []).join(', '));
  } else {
    const long = (item.max || 0) > 400;
    const inp = long
      ? h('textarea', { id, rows: '2', class: 'mono', spellcheck: 'false' })
      : h('input', { type: type === 'url' ? 'url' : 'text', id, spellcheck: 'false', value: item.value ?? '' });
    if (long) inp.value = item.value ?? '';
    if (type === 'url' || item.key === 'user_agent') inp.classList.add('mono');
    if (!item.value && item.default === '' && type === 'url') inp.placeholder = t('settings.url_default');
    control = inp;
    read = () => ({ changed: inp.value !== (item.value ?? ''), value: inp.value });
    reset = () => (inp.value = item.default ?? '');
  }
  const first = control.matches('input, select, textarea') ? control : control.querySelector('input, select, textarea');
  first.setAttribute('aria-describedby', `${id}-help ${id}-err`);

  const resetBtn =
    reset && !same(item.value, item.default)
      ? h('button', { type: 'button', class: 'btn sm ghost', onclick: () => {
          reset();
          first.dispatchEvent(new Event('input', { bubbles: true }));
        } }, t('settings.reset_default'))
      : null;
  const meta = h(
    'div',
    { class: 'meta' },
    h('label', { for: id }, label),
    h('span', { class: 'key' }, item.key),
    help,
    item.secret ? null : h('span', { class: 'help' }, t('settings.default', { value: item.default === '' ? t('settings.empty') : Array.isArray(item.default) ? item.default.join(', ') : String(item.default) })),
  );
  const el = h('div', { class: 'setting field' }, meta, h('div', { class: 'stack' }, control, errText, resetBtn ? h('div', null, resetBtn) : null));
  return {
    key: item.key,
    el,
    read,
    setError(msg) {
      el.classList.toggle('invalid', !!msg);
      errText.hidden = !msg;
      errText.textContent = msg || '';
      first.setAttribute('aria-invalid', msg ? 'true' : 'false');
    },
    focus: () => first.focus(),
  };
}

adminPage('/admin/settings', async (main) => {
  const body = h('div', { class: 'stack' }, h('p', { class: 'loading' }, t('common.loading')));
  mount(main, pageHead(t('settings.title'), t('settings.sub')), body);
  let rows = [];
  const status = h('span', { class: 'muted', 'aria-live': 'polite' });
  const saveBtn = h('button', { type: 'submit', class: 'btn primary', disabled: true }, t('common.save'));
  const discardBtn = h('button', { type: 'button', class: 'btn', disabled: true }, t('settings.discard'));
  const bar = h('div', { class: 'batch-bar save-bar' }, status, h('span', { class: 'grow' }), discardBtn, saveBtn);

  function changes() {
    const values = {};
    for (const r of rows) {
      const { changed, value } = r.read();
      r.el.classList.toggle('dirty', changed);
      if (changed) values[r.key] = value;
    }
    return values;
  }
  function update() {
    const n = Object.keys(changes()).length;
    status.textContent = n ? t('settings.unsaved', { n }) : t('settings.no_changes');
    saveBtn.disabled = discardBtn.disabled = n === 0;
    bar.hidden = n === 0;
  }

  discardBtn.addEventListener('click', async () => {
    if (await confirmDialog({ title: t('settings.discard_title'), message: t('settings.discard_msg'), confirmLabel: t('settings.discard') })) await load();
  });

  async function load() {
    const res = await get('settings');
    const items = res.data || [];
    rows = items.map(settingRow);
    const byGroup = new Map();
    for (const r of rows) {
      const g = groupOf(r.key);
      if (!byGroup.has(g)) byGroup.set(g, []);
      byGroup.get(g).push(r);
    }
    const order = [...GROUPS.map(([g]) => g), 'other'].filter((g) => byGroup.has(g));
    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      order.map((g) => h('section', { class: 'card', 'aria-labelledby': `grp-${g}` }, h('h2', { id: `grp-${g}` }, t(`settings.group.${g}`)), byGroup.get(g).map((r) => r.el))),
      bar,
    );
    form.addEventListener('input', update);
    form.addEventListener('change', update);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const values = changes();
      if (!Object.keys(values).length) return;
      for (const r of rows) r.setError(null);
      saveBtn.disabled = true;
      try {
        await put('settings', { values });
        toast(t('settings.saved', { n: Object.keys(values).length }));
        await load();
      } catch (err) {
        const row = err instanceof ApiError && err.param ? rows.find((r) => r.key === err.param) : null;
        if (row) {
          row.setError(errorText(err));
          row.el.scrollIntoView({ block: 'center' });
          row.focus();
        }
        toast(errorText(err), { error: true });
        saveBtn.disabled = false;
      }
    });
    mount(body, items.length ? form : h('div', { class: 'card empty' }, t('settings.none')));
    update();
  }
  await load();
});
