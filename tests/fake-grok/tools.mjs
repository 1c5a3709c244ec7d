// Answers to tool prompts (the gateway's calling convention, cpp/tools/prompt.h): recorded-shape
// model outputs from tests/native/fixtures/tools/outputs.json (the sieve's golden cases —
// well-formed, sloppy, several calls, none), chosen by `[[tools:NAME]]` in the prompt
// (`well_formed` without one). Once the prompt replays tool results (<tool_result> blocks), the
// answer is the final one: "Final answer from the tool results: <each result's text, | joined>".
// `[[tools:call_when_pressed]]` answers like `no_call` unless the prompt carries the gateway's
// stronger reminder (its retry after an answer without a required call), then like
// `well_formed`: the required-call retry's two prompts get different answers.
// Prompts without the convention's header get null (the scenario's usual answer), except JSON
// output prompts (jsonAnswerFor).
import { readFileSync } from 'node:fs';

const HEADER = '# Tools (g2a-tools/';
const MARKER = /\[\[tools:([a-z_]+)\]\]/;
const PRESSED = 'Your previous reply made no tool call.';
let outputs = null;

export function toolOutputs() {
  outputs ??= JSON.parse(readFileSync(new URL('../native/fixtures/tools/outputs.json', import.meta.url), 'utf8')).outputs;
  return outputs;
}

// A prompt that asks for JSON output (the gateway's "[Output format]" rules) gets a sloppy JSON
// answer: prose, a code fence, a number as a string and a trailing comma around
// {"answer": 42, "words": <words in the prompt's first line>}. `[[json:invalid]]` in the prompt
// gets JSON no schema with integer `answer` and `words` accepts: {"answer": "forty-two"} in prose.
const FORMAT = '[Output format] Reply with exactly one JSON object';
export function jsonAnswerFor(prompt) {
  if (String(prompt ?? '').includes('[[json:invalid]]')) return 'Roughly: {"answer": "forty-two"} I think.';
  const first = String(prompt ?? '').split('\n')[0].trim();
  const words = first ? first.split(/\s+/).length : 0;
  return `Here is the JSON you asked for:\n\`\`\`json\n{"answer": "42", "words": ${words},}\n\`\`\`\nAnything else?`;
}

export function toolAnswerFor(prompt) {
  const p = String(prompt ?? '');
  if (p.includes(FORMAT) && !p.includes(HEADER)) return jsonAnswerFor(p);
  if (!p.includes(HEADER)) return null;
  const results = [...p.matchAll(/<tool_result[^>]*>([\s\S]*?)<\/tool_result>/g)].map((m) => m[1]);
  if (results.length) return `Final answer from the tool results: ${results.join(' | ')}`;
  let name = MARKER.exec(p)?.[1] ?? 'well_formed';
  if (name === 'call_when_pressed') name = p.includes(PRESSED) ? 'well_formed' : 'no_call';
  const out = toolOutputs().find((o) => o.name === name);
  return out ? out.text : `The fake has no tool output named ${name}.`;
}
