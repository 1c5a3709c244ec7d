// The tool prompt: how a conversation with tools is written into the one message Grok's web chat
// takes. Calling convention "g2a-tools/1" (versioned; docs/TOOLS.md):
//
//   <tool_call name="NAME">{"arg": "value"}</tool_call>
//
// one block per call, several blocks for several calls; the body is one JSON object (a freeform
// tool's body is its raw input). Results come back as
//
//   <tool_result name="NAME" id="CALL_ID">…</tool_result>
//
// Layout (blocks joined by a blank line, as answer::flatten does):
//   system: <client system text>            (as flatten)
//   <catalogue + convention>                  the offered tools, compactly (below)
//   user: … / assistant: … + its earlier calls as <tool_call> blocks / <tool_result> blocks
//   <last user message, raw>                  when the conversation ends with a user turn
//   <reminder>                                the convention's rules again, last, where Grok
//                                             follows them best; plus the tool_choice rule
// Catalogue entry per tool:
//   ## NAME
//   <description, whitespace runs collapsed>
//   Arguments: {city: string, unit?: "c"|"f"}   (TypeScript-like, from the JSON Schema;
//   - city: <property description>               "?" = optional; property descriptions below)
// A freeform tool shows "Input: raw text (not JSON)" and its grammar when given.
// tool_choice: none → no catalogue and no convention (history is flattened as plain text, see
// answer/flatten.h); a named tool → only that tool is offered, and the reminder says to call
// it; required → the reminder says a call is required; parallel_tool_calls false → "at most
// one call".
#pragma once

#include "answer/conversation.h"
#include "answer/flatten.h"

#include <string>
#include <string_view>

namespace g2a::tools {

inline constexpr std::string_view kConvention = "g2a-tools/1";

// True when the conversation offers tools (a catalogue, and tool_choice is not none).
bool offers_tools(const answer::Conversation &conv);

// The tools the answer may call: all of them, or only the named one.
std::vector<const answer::ToolSpec *> offered_tools(const answer::Conversation &conv);

// The catalogue section alone (for tests and measurements).
std::string render_catalogue(const answer::Conversation &conv);

// One tool's arguments as a TypeScript-like type ("{city: string, days?: integer}").
std::string render_schema_type(std::string_view schema_json);

// The prompt for Grok: answer::flatten when no tools are offered, else the layout above;
// then, when a JSON output format is asked for, "[Output format] Reply with exactly one JSON
// object and nothing else…" (and the schema) last.
// `stronger`: the retry after a required call was missing (the reminder insists).
answer::Flattened render_prompt(const answer::Conversation &conv, size_t max_images,
                                bool stronger = false);
// The same without the output-format rules.
answer::Flattened render_dialogue(const answer::Conversation &conv, size_t max_images,
                                  bool stronger = false);

// Names every tool result turn of `part` that names no tool after the call it answers in `whole`
// (the conversation `part` continues), so a follow-up that sends only the new turns still says
// which tool each result comes from.
void name_tool_results(answer::Conversation &part, const answer::Conversation &whole);

} // namespace g2a::tools
