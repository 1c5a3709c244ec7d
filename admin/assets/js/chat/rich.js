// Renders model output as text with only safe media pulled out: markdown images and links,
// <img>/<video> tags and bare video URLs become elements whose URLs passed safeUrl().
// Nothing is ever parsed as HTML.
import { h, safeUrl } from '../dom.js';

const PATTERN = /!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?\s*\)|\[([^\]]+)\]\(\s*<?([^)\s>]+)>?\s*\)|<video[^>]*?\ssrc=["']([^"']+)["'][^>]*>(?:[\s\S]*?<\/video>)?|<img[^>]*?\ssrc=["']([^"']+)["'][^>]*>|(https?:\/\/[^\s<>"')]+\.mp4(?:\?[^\s<>"')]*)?)/gi;

const isVideo = (u) => /\.(mp4|webm|mov)(\?|$)/i.test(u) || /video/i.test(u);

function media(url, alt, video) {
  const u = safeUrl(url, { allowData: !video });
  if (!u) return null;
  if (video) return h('video', { src: u, controls: true, preload: 'metadata', playsinline: true });
  return h('a', { href: u, target: '_blank', rel: 'noopener noreferrer' }, h('img', { src: u, alt: alt || '', loading: 'lazy' }));
}

export function richNodes(text) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(PATTERN)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    let node = null;
    if (m[2]) node = media(m[2], m[1], isVideo(m[2]));
    else if (m[4]) {
      const u = safeUrl(m[4]);
      node = u ? (isVideo(u) ? media(u, m[3], true) : h('a', { href: u, target: '_blank', rel: 'noopener noreferrer' }, m[3])) : null;
    } else if (m[5]) node = media(m[5], '', true);
    else if (m[6]) node = media(m[6], '', false);
    else if (m[7]) node = media(m[7], '', true);
    out.push(node || m[0]);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
