// Playground video: the video model through chat completions with a video_config object
// {aspect_ratio, video_length, resolution, preset}; progress text streams in, and the
// finished video's URL is played in a <video> element.
import { h, mount, uid } from '../dom.js';
import { t } from '../i18n.js';
import { chat } from './apis.js';
import { richNodes, videoUrls } from './rich.js';
import { copyButton } from '../copy.js';

function field(label, control) {
  const id = uid('v');
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}
const sel = (opts, value) => h('select', null, opts.map(([v, l]) => h('option', { value: v, selected: v === value }, l)));

export function videoTab({ modelSelect, needKey }) {
  const prompt = h('textarea', { rows: '3', required: true, placeholder: t('vid.prompt_ph') });
  const ratio = sel(['3:2', '2:3', '16:9', '9:16', '1:1'].map((r) => [r, r]), '3:2');
  const length = sel([['6', t('vid.seconds', { n: 6 })], ['10', t('vid.seconds', { n: 10 })]], '6');
  const resolution = sel([['SD', 'SD (480p)'], ['HD', 'HD (720p)']], 'SD');
  const preset = sel(['normal', 'fun', 'spicy', 'custom'].map((p) => [p, t(`vid.preset_${p}`)]), 'normal');
  const go = h('button', { type: 'submit', class: 'btn primary' }, t('vid.generate'));
  const stop = h('button', { type: 'button', class: 'btn', hidden: true }, t('chat.stop'));
  const progress = h('div', { class: 'msg assistant', hidden: true, 'aria-live': 'polite' });
  const result = h('div', { class: 'gallery' });
  let controller = null;
  stop.addEventListener('click', () => controller && controller.abort());

  const form = h(
    'form',
    { class: 'stack' },
    field(t('vid.prompt'), prompt),
    h('div', { class: 'form-grid' }, field(t('chat.model'), modelSelect), field(t('vid.ratio'), ratio), field(t('vid.length'), length), field(t('vid.resolution'), resolution), field(t('vid.preset'), preset)),
    h('div', { class: 'row' }, go, stop, h('span', { class: 'muted small' }, t('vid.slow'))),
    progress,
    result,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!prompt.value.trim()) return prompt.focus();
    if (!needKey()) return;
    controller = new AbortController();
    go.disabled = true;
    stop.hidden = false;
    progress.hidden = false;
    progress.className = 'msg assistant';
    mount(progress, h('span', { class: 'spinner' }), ' ', t('vid.working'));
    mount(result);
    let acc = '';
    try {
      const res = await chat(
        {
          model: modelSelect.value,
          stream: true,
          messages: [{ role: 'user', content: prompt.value.trim() }],
          video_config: { aspect_ratio: ratio.value, video_length: Number(length.value), resolution: resolution.value, preset: preset.value },
        },
        {
          signal: controller.signal,
          onDelta: ({ content, reasoning }) => {
            acc += content || '';
            const text = `${reasoning || ''}${content || ''}`;
            if (text) mount(progress, ...richNodes(acc || text));
          },
        },
      );
      acc = res.content || acc;
      const urls = videoUrls(`${acc}\n${res.reasoning || ''}`);
      // The player below shows the video; the bubble keeps only the answer's words.
      if (urls.length) progress.hidden = true;
      else mount(progress, ...richNodes(acc || t('chat.no_answer')));
      mount(
        result,
        urls.map((u) => h('figure', null, h('video', { src: u, controls: true, playsinline: true, preload: 'metadata' }), h('figcaption', null, h('a', { href: u, target: '_blank', rel: 'noopener noreferrer' }, t('vid.open')), copyButton(new URL(u, location.href).href, { label: t('img.copy_link') })))),
      );
    } catch (err) {
      mount(progress, err.name === 'AbortError' ? t('chat.stopped') : `${t('chat.error')}: ${err.message || err}`);
      progress.className = err.name === 'AbortError' ? 'msg assistant' : 'msg error';
    } finally {
      controller = null;
      go.disabled = false;
      stop.hidden = true;
    }
  });
  return form;
}
