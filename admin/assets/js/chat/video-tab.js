// Playground video: the Videos API as a job. POST /v1/videos with the prompt, model, size (from
// the ratio and resolution picked) and seconds; the job is polled (GET /v1/videos/{id}) and its
// progress shown; once completed its content (GET /v1/videos/{id}/content, with the API key) is
// played in a <video> element. Stop only stops watching: the job goes on at the gateway.
import { h, mount, uid } from '../dom.js';
import { t } from '../i18n.js';
import { createVideo, getVideo, videoContent } from './openai.js';
import { copyButton } from '../copy.js';

function field(label, control) {
  const id = uid('v');
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}
const sel = (opts, value) => h('select', null, opts.map(([v, l]) => h('option', { value: v, selected: v === value }, l)));

// WxH for a ratio at a resolution's short side (what the gateway maps back to Grok's settings).
const RATIOS = { '16:9': [16, 9], '9:16': [9, 16], '3:2': [3, 2], '2:3': [2, 3], '1:1': [1, 1] };
function sizeFor(ratio, resolution) {
  const [a, b] = RATIOS[ratio] || [1, 1];
  const short = resolution === 'HD' ? 720 : 480;
  const long = Math.round((short * Math.max(a, b)) / Math.min(a, b) / 2) * 2;
  return a >= b ? `${long}x${short}` : `${short}x${long}`;
}
const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('stopped', 'AbortError'));
    });
  });

export function videoTab({ modelSelect, needKey }) {
  const prompt = h('textarea', { rows: '3', required: true, placeholder: t('vid.prompt_ph') });
  const ratio = sel(Object.keys(RATIOS).map((r) => [r, r]), '3:2');
  const length = sel([6, 10, 15].map((n) => [String(n), t('vid.seconds', { n })]), '6');
  const resolution = sel([['SD', 'SD (480p)'], ['HD', 'HD (720p)']], 'SD');
  const go = h('button', { type: 'submit', class: 'btn primary' }, t('vid.generate'));
  const stop = h('button', { type: 'button', class: 'btn', hidden: true }, t('chat.stop'));
  const bar = h('progress', { max: '100', value: '0' });
  const status = h('span', null);
  const progress = h('div', { class: 'msg assistant', hidden: true, 'aria-live': 'polite' });
  const result = h('div', { class: 'gallery' });
  let controller = null;
  let shown = null; // the object URL of the video on show
  stop.addEventListener('click', () => controller && controller.abort());

  const form = h(
    'form',
    { class: 'stack' },
    field(t('vid.prompt'), prompt),
    h('div', { class: 'form-grid' }, field(t('chat.model'), modelSelect), field(t('vid.ratio'), ratio), field(t('vid.length'), length), field(t('vid.resolution'), resolution)),
    h('div', { class: 'row' }, go, stop, h('span', { class: 'muted small' }, t('vid.slow'))),
    progress,
    result,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!prompt.value.trim()) return prompt.focus();
    if (!needKey()) return;
    controller = new AbortController();
    const { signal } = controller;
    go.disabled = true;
    stop.hidden = false;
    progress.hidden = false;
    progress.className = 'msg assistant';
    bar.value = 0;
    mount(status, t('vid.working'));
    mount(progress, h('span', { class: 'spinner' }), ' ', status, ' ', bar);
    mount(result);
    if (shown) URL.revokeObjectURL(shown);
    shown = null;
    try {
      let job = await createVideo(
        { model: modelSelect.value, prompt: prompt.value.trim(), seconds: length.value, size: sizeFor(ratio.value, resolution.value) },
        signal,
      );
      while (job.status === 'queued' || job.status === 'in_progress') {
        bar.value = job.progress || 0;
        mount(status, t('vid.progress', { status: job.status, n: job.progress || 0 }));
        await sleep(1000, signal);
        job = await getVideo(job.id, signal);
      }
      if (job.status !== 'completed') {
        mount(progress, `${t('chat.error')}: ${(job.error && job.error.message) || job.status}`);
        progress.className = 'msg error';
        return;
      }
      const blob = await videoContent(job.id, signal);
      shown = URL.createObjectURL(blob);
      progress.hidden = true;
      mount(
        result,
        h(
          'figure',
          { 'data-video': job.id },
          h('video', { src: shown, controls: true, playsinline: true, preload: 'metadata' }),
          h('figcaption', null, h('a', { href: shown, download: `${job.id}.mp4` }, t('vid.open')), copyButton(job.id, { label: t('vid.copy_id') })),
        ),
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
