// Playground images: prompt, model, count and size → POST /v1/images/generations, shown as a
// gallery (URLs or base64) with open and copy-link actions.
import { h, mount, uid, safeUrl } from '../dom.js';
import { t } from '../i18n.js';
import { images } from './openai.js';
import { copyButton } from '../copy.js';

const SIZES = ['1024x1024', '1024x1792', '1792x1024', '1280x720', '720x1280'];

function field(label, control) {
  const id = uid('i');
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

export function imageTab({ modelSelect, needKey }) {
  const prompt = h('textarea', { rows: '3', required: true, placeholder: t('img.prompt_ph') });
  const n = h('input', { type: 'number', min: '1', max: '4', step: '1', value: '2', inputmode: 'numeric' });
  const size = h('select', null, SIZES.map((s) => h('option', { value: s }, s)));
  const go = h('button', { type: 'submit', class: 'btn primary' }, t('img.generate'));
  const status = h('div', { 'aria-live': 'polite' });
  const gallery = h('div', { class: 'gallery' });
  const form = h(
    'form',
    { class: 'stack' },
    field(t('img.prompt'), prompt),
    h('div', { class: 'form-grid' }, field(t('chat.model'), modelSelect), field(t('img.count'), n), field(t('img.size'), size)),
    h('div', { class: 'row' }, go),
    status,
    gallery,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!prompt.value.trim()) return prompt.focus();
    if (!needKey()) return;
    go.disabled = true;
    mount(status, h('p', { class: 'muted' }, h('span', { class: 'spinner' }), ' ', t('img.working')));
    mount(gallery);
    const started = performance.now();
    try {
      const res = await images({ prompt: prompt.value.trim(), model: modelSelect.value || undefined, n: Math.min(4, Math.max(1, Number(n.value) || 1)), size: size.value, response_format: 'url' });
      const items = (res.data || []).map((d) => (d.url ? safeUrl(d.url) : d.b64_json ? safeUrl(`data:image/png;base64,${d.b64_json}`, { allowData: true }) : null));
      const good = items.filter(Boolean);
      mount(status, h('p', { class: 'muted' }, t('img.done', { n: good.length, secs: ((performance.now() - started) / 1000).toFixed(1) })));
      mount(
        gallery,
        good.map((u, i) =>
          h(
            'figure',
            null,
            h('a', { href: u, target: '_blank', rel: 'noopener noreferrer' }, h('img', { src: u, alt: t('img.alt', { n: i + 1, prompt: prompt.value.trim() }) })),
            h('figcaption', null, h('span', null, `#${i + 1}`), u.startsWith('data:') ? null : copyButton(new URL(u, location.href).href, { label: t('img.copy_link') })),
          ),
        ),
      );
      if (!good.length) mount(gallery, h('p', { class: 'muted' }, t('img.none')));
    } catch (err) {
      mount(status, h('div', { class: 'alert', role: 'alert' }, `${t('chat.error')}: ${err.message || err}`));
    } finally {
      go.disabled = false;
    }
  });
  return form;
}
