// The fake upstream's answers to tool prompts (tests/fake-grok/tools.mjs): the recorded-shape
// output a [[tools:NAME]] marker names, the final answer once results are replayed, and nothing
// for prompts without the gateway's convention.
import { describe, it, expect } from 'vitest';
import { toolAnswerFor, toolOutputs } from '../fake-grok/tools.mjs';
import { answerFor } from '../fake-grok/content.mjs';

const HEADER = '# Tools (g2a-tools/1)\nYou can call these tools.';

describe('fake-grok tool answers', () => {
  it('answers a tool prompt with the named recorded-shape output, well_formed by default', () => {
    const byName = Object.fromEntries(toolOutputs().map((o) => [o.name, o.text]));
    expect(toolAnswerFor(`${HEADER}\n\n[[tools:several_calls]] Oslo?`)).toBe(byName.several_calls);
    expect(toolAnswerFor(`${HEADER}\n\nParis?`)).toBe(byName.well_formed);
    expect(answerFor(`${HEADER}\n\n[[tools:code_fence]] x`)).toBe(byName.code_fence);
    expect(toolAnswerFor(`${HEADER}\n\n[[tools:nope]] x`)).toBe('The fake has no tool output named nope.');
  });

  it('call_when_pressed: no call until the prompt carries the stronger reminder', () => {
    const byName = Object.fromEntries(toolOutputs().map((o) => [o.name, o.text]));
    expect(toolAnswerFor(`${HEADER}\n\n[[tools:call_when_pressed]] Paris?\n\nYou MUST call at least one tool in this reply.`)).toBe(byName.no_call);
    expect(toolAnswerFor(`${HEADER}\n\n[[tools:call_when_pressed]] Paris?\n\nYour previous reply made no tool call. This reply MUST be tool calls only.`))
      .toBe(byName.well_formed);
  });

  it('answers with the replayed results once there are any', () => {
    const p = `${HEADER}\n\n[[tools:well_formed]] q\n\n<tool_result name="a" id="1">21 C</tool_result>\n\n<tool_result id="2">ok</tool_result>`;
    expect(toolAnswerFor(p)).toBe('Final answer from the tool results: 21 C | ok');
  });

  it('leaves prompts without the convention to the scenario', () => {
    expect(toolAnswerFor('[[tools:well_formed]] hi')).toBeNull();
    expect(answerFor('hi')).toBe('You said: hi');
  });
});

describe('fake-grok JSON answers', () => {
  it('answers an output-format prompt with sloppy JSON counting the first line\'s words', () => {
    const p = 'Give me the answer\n\n[Output format] Reply with exactly one JSON object and nothing else';
    expect(toolAnswerFor(p)).toBe('Here is the JSON you asked for:\n```json\n{"answer": "42", "words": 4,}\n```\nAnything else?');
  });

  it('[[json:invalid]] gets JSON a schema with integer answer and words refuses', () => {
    const p = '[[json:invalid]] Give me the answer\n\n[Output format] Reply with exactly one JSON object and nothing else';
    expect(toolAnswerFor(p)).toBe('Roughly: {"answer": "forty-two"} I think.');
  });
});
