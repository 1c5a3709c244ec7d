// The words the fake says, shared by the REST NDJSON and mgw builders so a test can
// derive them from the prompt: answers echo the prompt, reasoning quotes it, search
// results are built from its first words.
import { createHash } from 'node:crypto';
import { toolAnswerFor } from './tools.mjs';

const MAX_ECHO = 2000;

export function echoOf(prompt) {
  const p = String(prompt ?? '').trim();
  return p.length > MAX_ECHO ? `${p.slice(0, MAX_ECHO)}…` : p;
}


// "You said: <prompt>" (or a greeting for an empty prompt); a tool prompt gets a tool-shaped
// answer (tools.mjs).
export const answerFor = (prompt) =>
  toolAnswerFor(prompt) ?? (echoOf(prompt) ? `You said: ${echoOf(prompt)}` : 'Hello! How can I help?');
export const heavyAnswerFor = (prompt) => `Heavy mode (4 agents) answer. ${answerFor(prompt)}`;

export const REASONING_HEADER = 'Thinking about your request';
export const reasoningFor = (prompt) => `The user wrote "${echoOf(prompt).slice(0, 200)}". I will repeat it back.`;
export const HEAVY_AGENTS = ['Grok', 'Agent 1', 'Agent 2', 'Agent 3'];

export const titleFor = (prompt) => (echoOf(prompt).split(/\s+/).slice(0, 4).join(' ') || 'New conversation');

export function searchResultsFor(prompt) {
  const words = echoOf(prompt).toLowerCase().replace(/[^a-z0-9 ]+/g, ' ').split(/\s+/).filter(Boolean).slice(0, 3);
  const slug = words.join('-') || 'home';
  return [
    { url: `https://docs.example.test/${slug}`, title: `Fake docs: ${words.join(' ') || 'home'}`, preview: 'First fake search result.' },
    { url: `https://wiki.example.test/${slug}`, title: `Fake wiki: ${words.join(' ') || 'home'}`, preview: 'Second fake search result.' },
  ];
}
export const searchQueryFor = (prompt) => echoOf(prompt).slice(0, 80);

// Splits text into at most maxPieces consecutive pieces on word boundaries.
// A looping answer (what users report as "the model got stuck"): the normal answer, then one
// sentence `repeats` times (default 40).
export const LOOP_SPAN = 'I will now repeat the same sentence again. ';
export const loopTextFor = (prompt, repeats = 40) => `${answerFor(prompt)} ${LOOP_SPAN.repeat(repeats)}`.trimEnd();

export function splitTokens(text, maxPieces = 48) {
  if (!text) return [];
  const words = text.match(/\s*\S+\s*/g) ?? [text];
  const per = Math.max(1, Math.ceil(words.length / maxPieces));
  const out = [];
  for (let i = 0; i < words.length; i += per) out.push(words.slice(i, i + per).join(''));
  return out;
}

export const LONG_FILLER = 'lorem ipsum dolor sit amet ';
// A long answer of exactly `bytes` bytes whose sentences are numbered, so that it never repeats
// one span back to back (the gateway's quality guard would rightly take that for a loop).
export function longText(bytes) {
  const parts = [];
  let size = 0;
  for (let i = 1; size < bytes; i++) {
    const s = `${i} ${LONG_FILLER}`;
    parts.push(s);
    size += s.length;
  }
  return parts.join('').slice(0, bytes);
}

// How a chat record keeps the answer it sent: whole up to 64 KiB, beyond that its length and
// SHA-256 (hex, of the UTF-8 bytes) so that the record stays small.
export const RECORDED_ANSWER_MAX = 64 * 1024;
export function recordedAnswer(text) {
  if (text.length <= RECORDED_ANSWER_MAX) return { answer: text };
  return { answer: null, answerLength: text.length, answerSha256: createHash('sha256').update(text, 'utf8').digest('hex') };
}
