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
  std::string id, name, arguments; // arguments: a JSON string as the client sent it
};

struct Turn {
  std::string role;                 // system | developer | user | assistant | tool | function
  std::string text;                 // the turn's text (text parts joined with "\n")
  std::vector<ContentImage> images; // user turns only
  std::vector<ToolCall> tool_calls; // assistant turns
  std::string tool_call_id;         // tool turns: the call they answer
  std::string name;                 // optional participant / function name
};

struct Conversation {
  std::vector<Turn> turns;
};

} // namespace g2a::answer
