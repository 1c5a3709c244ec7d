// The neutral conversation every client API's request parser produces (Chat Completions
// messages, Responses input items, Anthropic messages) and the flattener turns into the one
// prompt Grok's web chat takes (answer/flatten.h). Roles keep the client's words where they
// mean the same thing: system | developer | user | assistant | tool | function.
#pragma once

#include <string>
#include <vector>

namespace g2a::answer {

struct ContentImage {
  std::string url;    // https:/http: URL or data:image/...
  std::string detail; // "auto" | "low" | "high" | "" (absent)
  std::string param;  // where the client put it, for errors: "messages[2].content.image_url"
};

struct ToolCall {
  std::string id, name, arguments; // arguments: a JSON string as the client sent it (a
                                   // freeform tool's raw input)
};

struct Turn {
  std::string role;                 // system | developer | user | assistant | tool | function
  std::string text;                 // the turn's text (text parts joined with "\n")
  std::vector<ContentImage> images; // user turns only
  std::vector<ToolCall> tool_calls; // assistant turns
  std::string tool_call_id;         // tool turns: the call they answer
  std::string name;                 // optional participant / function name
};

// A tool the client offers (Chat `tools`/`functions`, Responses `tools`, Messages `tools`).
struct ToolSpec {
  std::string name, description;
  std::string parameters; // its JSON Schema as compact JSON text; "" = any object
  bool freeform = false;  // a custom tool (Codex apply_patch): the input is raw text, not JSON
  std::string format;     // freeform tools: the grammar or format the input follows, if given
};

// tool_choice, in the neutral words: auto, none (tools not offered), required (Chat `required`,
// Messages `any`) or one named tool.
struct ToolChoice {
  enum class Mode { Auto, None, Required, Named };
  Mode mode = Mode::Auto;
  std::string name; // Named
};

// Structured output (Chat response_format, Responses text.format): text, any JSON object, or JSON
// matching a schema.
struct OutputFormat {
  enum class Type { Text, JsonObject, JsonSchema };
  Type type = Type::Text;
  std::string name;
  std::string schema; // JsonSchema: compact JSON text
  bool strict = false;
};

struct Conversation {
  std::vector<Turn> turns;
  std::vector<ToolSpec> tools; // the catalogue (empty: no tools)
  ToolChoice tool_choice;
  bool parallel_tool_calls = true; // false: only the first call of an answer is kept
  OutputFormat format;
};

} // namespace g2a::answer
