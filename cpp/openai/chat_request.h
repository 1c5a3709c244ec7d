// Chat Completions request: parsed and validated in one pass with simdjson On-Demand.
// Lenient where clients differ (unknown fields, null for absent, `developer`/`function`
// roles, string or part-array content, reasoning on replayed assistant turns), strict where a
// silent drop would mislead (n > 1, audio/file parts, images outside user messages). Errors
// are OpenAI-shaped 400s naming the offending parameter, e.g. `messages[2].content[0].type`.
#pragma once

#include "answer/conversation.h"
#include "http/api_result.h"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace g2a::openai {

using answer::ContentImage;
using answer::ToolCall;
using Message = answer::Turn;

struct VideoConfig {
  std::string aspect_ratio = "3:2";
  int video_length = 6; // seconds, >= 1
  std::string resolution = "SD";
  std::string preset = "normal";
  bool present = false; // `video_config` was sent
};

struct ChatRequest {
  std::string model;
  answer::Conversation conversation; // the `messages`, as neutral turns
  bool stream = false;
  bool include_usage = false; // stream_options.include_usage
  int n = 1;
  std::string reasoning_effort;
  long long max_tokens = -1; // max(max_tokens, max_completion_tokens); -1 = absent
  std::string user;
  bool has_tools = false;       // a non-empty `tools` / `functions` array (conversation.tools)
  bool has_tool_choice = false; // `tool_choice` was sent (it wins over `function_call`)
  std::string response_format_type;
  VideoConfig video;
};

inline constexpr size_t kMaxMessages = 1000;

ApiResult<ChatRequest> parse_chat_request(std::string_view body);

} // namespace g2a::openai
