// Short status messages in a polite live region at the bottom of the screen.
import { h } from './dom.js';

let box;

export function toast(message, { error = false, timeout = 3500 } = {}) {
  if (!box) {
    box = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(box);
  }
  const el = h('div', { class: error ? 'toast err' : 'toast' }, message);
  box.append(el);
  setTimeout(() => el.remove(), error ? timeout * 2 : timeout);
}
