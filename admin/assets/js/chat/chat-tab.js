// Playground chat: multi-turn conversation kept in the browser, streamed answers with the
// reasoning shown apart (collapsible) from the answer, optional image attachments (vision),
// stop and clear.
import { h, mount, uid } from '../dom.js';
import { t } from '../i18n.js';
import { chat, OpenAIError } from './openai.js';
import { richNodes } from './rich.js';

function field(label, control, cls) {
  const id = uid('c');
  control.id = id;
  return h('div', { class: `field ${cls || ''}` }, h('label', { for: id }, label), control);
}

export function chatTab({ modelSelect, needKey }) {
  const history = [];
  let attachments = [];
  let controller = null;

  const stream = h('input', { type: 'checkbox', checked: true, id: uid('c') });
  const system = h('textarea', { rows: '2', placeholder: t('chat.system_ph') });
  const log = h('div', { class: 'chat-log', role: 'log', 'aria-live': 'polite', 'aria-label': t('chat.conversation') }, h('p', { class: 'muted empty' }, t('chat.empty')));
  const input = h('textarea', { rows: '2', placeholder: t('chat.input_ph'), 'aria-label': t('chat.message') });
  const file = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/webp,image/gif', multiple: true, class: 'sr-only', id: uid('c') });
  const attachBtn = h('label', { class: 'btn', for: file.id, tabindex: '0', role: 'button' }, t('chat.attach'));
  const attachList = h('div', { class: 'attach-list' });
  const send = h('button', { type: 'submit', class: 'btn primary' }, t('chat.send'));
  const stop = h('button', { type: 'button', class: 'btn', hidden: true }, t('chat.stop'));
  const clear = h('button', { type: 'button', class: 'btn ghost' }, t('chat.clear'));

  attachBtn.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      file.click();
    }
  });
  file.addEventListener('change', async () => {
    for (const f of file.files) {
      const url = await new Promise((res, rej) => {
        const r = new FileReader();
        r.onload = () => res(r.result);
        r.onerror = rej;
        r.readAsDataURL(f);
      });
      attachments.push({ name: f.name, url });
    }
    file.value = '';
    renderAttachments();
  });
  function renderAttachments() {
    mount(
      attachList,
      attachments.map((a, i) =>
        h('button', { type: 'button', class: 'btn ghost icon', title: t('chat.remove_attachment', { name: a.name }), 'aria-label': t('chat.remove_attachment', { name: a.name }), onclick: () => {
          attachments.splice(i, 1);
          renderAttachments();
        } }, h('img', { src: a.url, alt: '' })),
      ),
    );
  }

  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && matchMedia('(pointer: fine)').matches) {
      ev.preventDefault();
      form.requestSubmit();
    }
  });
  stop.addEventListener('click', () => controller && controller.abort());
  clear.addEventListener('click', () => {
    if (controller) controller.abort();
    history.length = 0;
    mount(log, h('p', { class: 'muted empty' }, t('chat.empty')));
  });

  function bubble(role, text) {
    const el = h('div', { class: `msg ${role}` }, h('div', { class: 'who' }, t(`chat.role_${role}`)));
    if (text) el.append(...richNodes(text));
    log.querySelector('.empty')?.remove();
    log.append(el);
    log.scrollTop = log.scrollHeight;
    return el;
  }

  const form = h(
    'form',
    { class: 'stack' },
    h('div', { class: 'form-grid' }, field(t('chat.model'), modelSelect), h('div', { class: 'field' }, h('span', { class: 'label' }, t('chat.options')), h('label', { class: 'check', for: stream.id }, stream, t('chat.stream')))),
    h('details', null, h('summary', null, t('chat.system')), field(t('chat.system'), system)),
    log,
    attachList,
    h('div', { class: 'composer' }, attachBtn, file, h('div', { class: 'grow' }, input), send, stop),
    h('div', { class: 'row between' }, h('span', { class: 'muted small' }, t('chat.hint')), clear),
  );

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text && !attachments.length) return;
    if (!needKey()) return;
    const content = attachments.length ? [{ type: 'text', text }, ...attachments.map((a) => ({ type: 'image_url', image_url: { url: a.url } }))] : text;
    const userEl = bubble('user', text);
    for (const a of attachments) userEl.append(h('img', { src: a.url, alt: a.name }));
    history.push({ role: 'user', content });
    input.value = '';
    attachments = [];
    renderAttachments();

    const msgs = system.value.trim() ? [{ role: 'system', content: system.value.trim() }, ...history] : [...history];
    const el = bubble('assistant', '');
    const reasoningBody = h('div', { class: 'body' });
    const reasoningSummary = h('summary', null, t('chat.thinking'));
    const reasoning = h('details', { class: 'reasoning', hidden: true, open: true }, reasoningSummary, reasoningBody);
    const answer = h('div', { class: 'answer' }, h('span', { class: 'spinner', 'aria-label': t('chat.waiting') }));
    el.append(reasoning, answer);
    let acc = '';
    let racc = '';
    let pending = false;
    const paint = () => {
      pending = false;
      if (racc) {
        reasoning.hidden = false;
        reasoningBody.textContent = racc;
      }
      if (acc) mount(answer, ...richNodes(acc));
      log.scrollTop = log.scrollHeight;
    };
    controller = new AbortController();
    send.hidden = true;
    stop.hidden = false;
    const started = performance.now();
    try {
      const body = { model: modelSelect.value, messages: msgs, stream: stream.checked };
      if (stream.checked) body.stream_options = { include_usage: true };
      const res = await chat(body, {
        signal: controller.signal,
        onDelta: ({ content: c, reasoning: r }) => {
          acc += c;
          racc += r;
          if (!pending) {
            pending = true;
            requestAnimationFrame(paint);
          }
        },
      });
      acc = res.content;
      racc = res.reasoning;
      paint();
      if (!acc) mount(answer, h('span', { class: 'muted' }, t('chat.no_answer')));
      history.push({ role: 'assistant', content: acc });
      reasoningSummary.textContent = t('chat.reasoning');
      reasoning.open = false;
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      el.append(h('div', { class: 'who muted' }, res.usage ? t('chat.stats_usage', { secs, prompt: res.usage.prompt_tokens ?? '?', completion: res.usage.completion_tokens ?? '?' }) : t('chat.stats', { secs })));
    } catch (err) {
      paint();
      if (err.name === 'AbortError') {
        el.append(h('div', { class: 'who muted' }, t('chat.stopped')));
        if (acc) history.push({ role: 'assistant', content: acc });
      } else {
        if (!acc) el.remove();
        bubble('error', err instanceof OpenAIError ? `${t('chat.error')}: ${err.message}` : `${t('chat.error')}: ${err.message || err}`);
        history.pop();
      }
    } finally {
      controller = null;
      send.hidden = false;
      stop.hidden = true;
      input.focus();
    }
  });

  return form;
}
