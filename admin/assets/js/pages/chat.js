// /chat: the playground. Uses an API key typed by the user (kept in localStorage only when
// "remember" is ticked) against /v1: chat (streamed), images and video, with model pickers
// filled from /v1/models.
import { h, mount, uid } from '../dom.js';
import { t } from '../i18n.js';
import { renderHeader, pageHead } from '../shell.js';
import { setKey, getKey, listModels } from '../chat/openai.js';
import { chatTab } from '../chat/chat-tab.js';
import { imageTab } from '../chat/image-tab.js';
import { videoTab } from '../chat/video-tab.js';

const KEY = 'g2a.playground.key';
const main = document.getElementById('main');
renderHeader({ active: '/chat', user: null, items: [['/chat', 'nav.playground'], ['/admin', 'nav.admin']] });

const saved = localStorage.getItem(KEY) || '';
setKey(saved);
const keyInput = h('input', { type: 'password', id: uid('k'), autocomplete: 'off', spellcheck: 'false', class: 'mono', placeholder: 'sk-…', value: saved });
const show = h('button', { type: 'button', class: 'btn', 'aria-pressed': 'false' }, t('chat.show_key'));
const remember = h('input', { type: 'checkbox', id: uid('k'), checked: !!saved });
const loadBtn = h('button', { type: 'button', class: 'btn primary' }, t('chat.load_models'));
const status = h('p', { class: 'small muted', 'aria-live': 'polite' }, saved ? '' : t('chat.key_needed'));

const selects = { chat: h('select', null), image: h('select', null), video: h('select', null) };
const FALLBACK = { chat: ['grok-4.1-fast', 'grok-4', 'grok-3'], image: ['grok-imagine-1.0'], video: ['grok-imagine-1.0-video'] };
const kindOf = (id) => (/video/i.test(id) ? 'video' : /imagine|image/i.test(id) ? (/edit/i.test(id) ? null : 'image') : 'chat');

function fill(models) {
  const by = { chat: [], image: [], video: [] };
  for (const m of models) {
    const k = kindOf(m);
    if (k) by[k].push(m);
  }
  for (const k of Object.keys(selects)) {
    const list = by[k].length ? by[k] : FALLBACK[k];
    const prev = selects[k].value || localStorage.getItem(`g2a.playground.model.${k}`);
    mount(selects[k], list.map((id) => h('option', { value: id, selected: id === prev }, id)));
  }
}
for (const k of Object.keys(selects)) selects[k].addEventListener('change', () => localStorage.setItem(`g2a.playground.model.${k}`, selects[k].value));
fill([]);

function storeKey() {
  setKey(keyInput.value.trim());
  if (remember.checked && getKey()) localStorage.setItem(KEY, getKey());
  else localStorage.removeItem(KEY);
}
keyInput.addEventListener('input', storeKey);
remember.addEventListener('change', storeKey);
show.addEventListener('click', () => {
  const hidden = keyInput.type === 'password';
  keyInput.type = hidden ? 'text' : 'password';
  show.setAttribute('aria-pressed', String(hidden));
  show.textContent = hidden ? t('chat.hide_key') : t('chat.show_key');
});

async function loadModels() {
  if (!needKey()) return;
  loadBtn.disabled = true;
  status.textContent = t('common.loading');
  try {
    const models = await listModels();
    fill(models);
    status.textContent = t('chat.models_loaded', { n: models.length });
  } catch (err) {
    status.textContent = `${t('chat.error')}: ${err.message || err}`;
  } finally {
    loadBtn.disabled = false;
  }
}
loadBtn.addEventListener('click', loadModels);

function needKey() {
  if (getKey()) return true;
  status.textContent = t('chat.key_needed');
  keyInput.focus();
  return false;
}

const tabs = [
  ['chat', t('chat.tab_chat'), chatTab({ modelSelect: selects.chat, needKey })],
  ['image', t('chat.tab_image'), imageTab({ modelSelect: selects.image, needKey })],
  ['video', t('chat.tab_video'), videoTab({ modelSelect: selects.video, needKey })],
];
const tabList = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('chat.modes') });
const panels = [];
tabs.forEach(([id, label, panel], i) => {
  const tab = h('button', { type: 'button', role: 'tab', id: `tab-${id}`, 'aria-controls': `panel-${id}`, 'aria-selected': i === 0 ? 'true' : 'false', tabindex: i === 0 ? '0' : '-1' }, label);
  const wrap = h('section', { class: 'card', role: 'tabpanel', id: `panel-${id}`, 'aria-labelledby': `tab-${id}`, hidden: i !== 0 }, panel);
  tab.addEventListener('click', () => select(i));
  tab.addEventListener('keydown', (ev) => {
    const d = ev.key === 'ArrowRight' ? 1 : ev.key === 'ArrowLeft' ? -1 : 0;
    if (d) {
      select((i + d + tabs.length) % tabs.length);
      tabList.children[(i + d + tabs.length) % tabs.length].focus();
    }
  });
  tabList.append(tab);
  panels.push(wrap);
});
function select(i) {
  [...tabList.children].forEach((b, j) => {
    b.setAttribute('aria-selected', String(i === j));
    b.tabIndex = i === j ? 0 : -1;
  });
  panels.forEach((p, j) => (p.hidden = i !== j));
}

mount(
  main,
  pageHead(t('chat.title'), t('chat.sub')),
  h(
    'section',
    { class: 'card stack', 'aria-labelledby': 'conn-h' },
    h('h2', { id: 'conn-h' }, t('chat.connection')),
    h('div', { class: 'field' }, h('label', { for: keyInput.id }, t('chat.api_key')), h('div', { class: 'input-row' }, keyInput, show)),
    h('div', { class: 'row between' }, h('label', { class: 'check', for: remember.id }, remember, t('chat.remember')), loadBtn),
    status,
  ),
  h('div', { class: 'stack' }, tabList, ...panels),
);
if (saved) loadModels();
