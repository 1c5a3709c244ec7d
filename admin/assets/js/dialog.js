// Modal dialogs on the native <dialog> element (focus trap, Esc to close): confirmation before
// destructive actions, form dialogs whose submit handler may throw to show an error, and
// plain information dialogs.
import { h } from './dom.js';
import { t } from './i18n.js';

function open(dlg) {
  document.body.append(dlg);
  dlg.addEventListener('close', () => dlg.remove());
  dlg.showModal();
  return dlg;
}

export function confirmDialog({ title, message, confirmLabel, danger = true }) {
  return new Promise((resolve) => {
    const titleId = `dlg-${Math.random().toString(36).slice(2)}`;
    const ok = h('button', { type: 'submit', class: danger ? 'btn danger solid' : 'btn primary', value: 'ok' }, confirmLabel || t('common.confirm'));
    const dlg = h(
      'dialog',
      { 'aria-labelledby': titleId, role: 'alertdialog' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: titleId }, title),
        message ? h('p', { class: 'pre' }, message) : null,
        h('div', { class: 'dialog-actions' }, h('button', { type: 'submit', class: 'btn', value: 'cancel', autofocus: true }, t('common.cancel')), ok),
      ),
    );
    dlg.addEventListener('close', () => resolve(dlg.returnValue === 'ok'));
    open(dlg);
  });
}

// body: nodes inside the form; onSubmit(form) → may throw (its message is shown), returns
// a value that resolves the promise. Resolves null on cancel.
export function formDialog({ title, body, submitLabel, onSubmit, wide = false }) {
  return new Promise((resolve) => {
    const titleId = `dlg-${Math.random().toString(36).slice(2)}`;
    const error = h('div', { class: 'alert', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'btn primary' }, submitLabel || t('common.save'));
    const cancel = h('button', { type: 'button', class: 'btn' }, t('common.cancel'));
    const form = h('form', { novalidate: true }, h('h2', { id: titleId }, title), body, error, h('div', { class: 'dialog-actions' }, cancel, submit));
    const dlg = h('dialog', { 'aria-labelledby': titleId, class: wide ? 'wide' : null }, form);
    let result = null;
    cancel.addEventListener('click', () => dlg.close());
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!form.reportValidity()) return;
      error.hidden = true;
      submit.disabled = true;
      try {
        result = (await onSubmit(form)) ?? true;
        dlg.close();
      } catch (err) {
        error.textContent = err && err.userMessage ? err.userMessage : String((err && err.message) || err);
        error.hidden = false;
      } finally {
        submit.disabled = false;
      }
    });
    dlg.addEventListener('close', () => resolve(result));
    open(dlg);
    const first = form.querySelector('input:not([type=hidden]), select, textarea');
    if (first) first.focus();
  });
}

export function infoDialog({ title, body, closeLabel }) {
  return new Promise((resolve) => {
    const titleId = `dlg-${Math.random().toString(36).slice(2)}`;
    const dlg = h(
      'dialog',
      { 'aria-labelledby': titleId },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: titleId }, title),
        body,
        h('div', { class: 'dialog-actions' }, h('button', { type: 'submit', class: 'btn primary', autofocus: true }, closeLabel || t('common.close'))),
      ),
    );
    dlg.addEventListener('close', () => resolve());
    open(dlg);
  });
}
