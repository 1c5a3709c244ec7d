// The tool catalogue and tool_choice of every client API, read into the neutral
// answer::ToolSpec / answer::ToolChoice (answer/conversation.h). The request parsers hand over
// the raw JSON of the field (simdjson's raw_json) and turn a Problem into their own error shape;
// the path in a Problem is written the API's way ("tools[0].function.name" for OpenAI,
// "tools.0.name" for Anthropic).
//   Chat       tools: [{type:"function", function:{name, description, parameters, strict}}]
//                     [{type:"custom", custom:{name, description, format}}]
//              functions (legacy): [{name, description, parameters}]
//              tool_choice: "none"|"auto"|"required"|{type:"function", function:{name}}
//                     |{type:"custom", custom:{name}}|{type:"allowed_tools", …} (as auto)
//              function_call (legacy): "none"|"auto"|{name}
//   Responses  tools: [{type:"function", name, description, parameters, strict}]
//                     [{type:"custom", name, description, format}]; hosted tools (web_search*,
//                     file_search, mcp, namespace, …) are accepted and not offered (Grok
//                     searches the web by itself)
//              tool_choice: "none"|"auto"|"required"|{type:"function"|"custom", name}
//                     |{type:"allowed_tools", …} (as auto)|hosted {type:"web_search…"} (as auto)
//   Messages   tools: [{name, description, input_schema, type?:"custom"}]; server tools
//                     (type web_search_*, bash_*, text_editor_*, …) are accepted, not offered
//              tool_choice: {type:"auto"|"any"|"none"|"tool", name?, disable_parallel_tool_use}
// Names: 1-128 characters of [A-Za-z0-9_.:-] (MCP names such as mcp__server__tool pass).
// A named tool_choice must name a declared tool (checked by check_tool_choice).
#pragma once

#include "answer/conversation.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::tools {

enum class Api { Chat, Responses, Messages };

struct Problem {
  std::string param;   // where, the API's way
  std::string message; // without the param (each API words its own prefix)
  std::string code = "invalid_value";
};

// `raw`: the JSON text of the field; `field`: "tools" or "functions" (Chat's legacy list).
// Appends to `out`.
std::optional<Problem> read_tools(std::string_view raw, Api api, std::string_view field,
                                  std::vector<answer::ToolSpec> &out);

// `field`: "tool_choice" or "function_call" (Chat's legacy form). Messages'
// disable_parallel_tool_use clears `parallel`.
std::optional<Problem> read_tool_choice(std::string_view raw, Api api, std::string_view field,
                                        answer::ToolChoice &out, bool &parallel);

// After both were read: a named choice must name a declared tool.
std::optional<Problem> check_tool_choice(const answer::Conversation &conv, Api api,
                                         std::string_view field = "tool_choice");

// A structured-output format: Chat `response_format` ({type, json_schema:{name, schema, strict}})
// or Responses `text.format` ({type, name, schema, strict}); `field` names it in errors.
std::optional<Problem> read_output_format(std::string_view raw, Api api, std::string_view field,
                                          answer::OutputFormat &out);

// A valid tool name (see above).
bool valid_tool_name(std::string_view name);

} // namespace g2a::tools
