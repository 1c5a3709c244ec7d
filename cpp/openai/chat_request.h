// Chat Completions request: parsed and validated in one pass with simdjson On-Demand.
// Lenient where clients differ (unknown fields, null for absent, `developer`/`function`
// roles, string or part-array content, reasoning on replayed assistant turns), strict where a
// silent drop would mislead (n > 1, audio/file parts, images outside user messages). Errors
// are OpenAI-shaped 400s naming the offending parameter, e.g. `messages[2].content[0].type`.
#pragma once

#include "http/response.h"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace g2a::openai {

struct ContentImage {
  std::string url;    // https:/http: URL or data:image/...
  std::string detail; // "auto" | "low" | "high" | "" (absent)
};

struct ToolCall {
  std::string id, name, arguments; // arguments: a JSON string as the client sent it
};

struct Message {
  std::string role;                 // system | developer | user | assistant | tool | function
  std::string text;                 // string content, or the non-blank text parts joined with "\n"
  std::vector<ContentImage> images; // user messages only
  std::vector<ToolCall> tool_calls; // assistant messages
  std::string tool_call_id;         // tool messages
  std::string name;                 // optional participant / function name
};

struct VideoConfig {
  std::string aspect_ratio = "3:2";
  int video_length = 6; // seconds, >= 1
  std::string resolution = "SD";
  std::string preset = "normal";
  bool present = false; // `video_config` was sent
};

struct ChatRequest {
  std::string model;
  std::vector<Message> messages;
  bool stream = false;
  bool include_usage = false; // stream_options.include_usage
  int n = 1;
  std::string reasoning_effort;
  long long max_tokens = -1; // max(max_tokens, max_completion_tokens); -1 = absent
  std::string user;
  bool has_tools = false; // a non-empty `tools` array
  std::string response_format_type;
  VideoConfig video;
};

inline constexpr size_t kMaxMessages = 1000;

std::variant<ChatRequest, ApiError> parse_chat_request(std::string_view body);

} // namespace g2a::openai
