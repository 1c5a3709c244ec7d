// Playground chat: multi-turn conversation kept in the browser, sent through the client API
// chosen (Chat Completions, Responses or Messages: apis.js), streamed answers with the reasoning
// shown apart (collapsible) from the answer, the raw events of the last streamed answer,
// optional image attachments (vision), stop and clear.
import { h, mount, uid } from '../dom.js';
import { t } from '../i18n.js';
import { OpenAIError } from './openai.js';
import { APIS, converse } from './apis.js';
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

  const API_KEY = 'g2a.playground.api';
  const api = h(
    'select',
    null,
    Object.keys(APIS).map((id) => h('option', { value: id, selected: id === localStorage.getItem(API_KEY) }, t(`chat.api_${id}`))),
  );
  api.addEventListener('change', () => localStorage.setItem(API_KEY, api.value));
  const rawList = h('ol', { class: 'raw-events mono small' });
  const rawCount = h('span', { class: 'muted' });
  const raw = h('details', { class: 'raw' }, h('summary', null, t('chat.raw_events'), ' ', rawCount), rawList);
  const RAW_MAX = 2000;
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
    h('div', { class: 'form-grid' }, field(t('chat.model'), modelSelect), field(t('chat.api'), api), h('div', { class: 'field' }, h('span', { class: 'label' }, t('chat.options')), h('label', { class: 'check', for: stream.id }, stream, t('chat.stream')))),
    h('details', null, h('summary', null, t('chat.system')), field(t('chat.system'), system)),
    log,
    attachList,
    h('div', { class: 'composer' }, attachBtn, file, h('div', { class: 'grow' }, input), send, stop),
    h('div', { class: 'row between' }, h('span', { class: 'muted small' }, t('chat.hint')), clear),
    raw,
  );

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text && !attachments.length) return;
    if (!needKey()) return;
    const userEl = bubble('user', text);
    for (const a of attachments) userEl.append(h('img', { src: a.url, alt: a.name }));
    history.push({ role: 'user', text, images: attachments.map((a) => a.url) });
    input.value = '';
    attachments = [];
    renderAttachments();

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
      const chosen = APIS[api.value] || APIS.chat;
      const body = chosen.body({ model: modelSelect.value, system: system.value.trim(), turns: history, stream: stream.checked });
      let events = 0;
      rawList.replaceChildren();
      rawCount.textContent = '';
      const res = await converse(chosen, body, {
        signal: controller.signal,
        onRaw: (event, data) => {
          events += 1;
          rawCount.textContent = `(${events})`;
          if (events <= RAW_MAX) rawList.append(h('li', null, event ? h('b', null, event) : null, event ? ' ' : null, data));
        },
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
      history.push({ role: 'assistant', text: acc });
      reasoningSummary.textContent = t('chat.reasoning');
      reasoning.open = false;
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      el.append(h('div', { class: 'who muted' }, res.usage ? t('chat.stats_usage', { secs, prompt: res.usage.prompt ?? '?', completion: res.usage.completion ?? '?' }) : t('chat.stats', { secs })));
    } catch (err) {
      paint();
      if (err.name === 'AbortError') {
        el.append(h('div', { class: 'who muted' }, t('chat.stopped')));
        if (acc) history.push({ role: 'assistant', text: acc });
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
