// Copy-to-clipboard buttons (with a fallback for non-secure contexts such as plain http on a LAN).
import { h } from './dom.js';
import { t } from './i18n.js';
import { toast } from './toast.js';

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = h('textarea', { class: 'sr-only', 'aria-hidden': 'true' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    document.execCommand('copy');
    ta.remove();
  }
  toast(t('common.copied'));
}

export function copyButton(getText, { label, small = true } = {}) {
  return h(
    'button',
    {
      type: 'button',
      class: small ? 'btn sm' : 'btn',
      'aria-label': label || t('common.copy'),
      onclick: () => copyText(typeof getText === 'function' ? getText() : getText),
    },
    label || t('common.copy'),
  );
}
