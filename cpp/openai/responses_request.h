// OpenAI Responses request (POST /v1/responses): parsed and validated in one pass with simdjson
// On-Demand (openai/param_reader.h). `input` is a string or a list of items — `message` items
// (roles system/developer/user/assistant; input_text / output_text / refusal / input_image
// parts), earlier `function_call` / `custom_tool_call` items (assistant tool calls) and their
// `*_output` items (tool turns); replayed `reasoning`, `item_reference` and `web_search_call`
// items are accepted and skipped. Unknown fields are ignored; a wrong type is a 400 naming the
// parameter (`input[2].content[0].image_url`); what this gateway cannot honour (JSON output
// formats, files, background mode, conversations) is a 400 that says so.
#pragma once

#include "answer/conversation.h"
#include "http/api_result.h"

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace g2a::openai {

inline constexpr size_t kMaxInputItems = 1000;
inline constexpr size_t kMaxMetadataPairs = 16;
inline constexpr size_t kMaxMetadataKey = 64;
inline constexpr size_t kMaxMetadataValue = 512;

struct ResponsesRequest {
  std::string model;
  std::vector<answer::Turn> input; // the `input` items as neutral turns (instructions apart)
  bool has_instructions = false;
  std::string instructions;
  bool stream = false;
  bool store = true;
  long long max_output_tokens = -1; // -1 = absent
  std::vector<std::pair<std::string, std::string>> metadata;
  std::string reasoning_effort;  // "" = absent
  std::string reasoning_summary; // "" = absent: reasoning text is not returned
  std::string previous_response_id;
  bool has_temperature = false, has_top_p = false;
  double temperature = 1, top_p = 1;
  std::string user;
  std::vector<answer::ToolSpec> tools; // function and custom tools (hosted ones not offered)
  answer::ToolChoice tool_choice;
  bool parallel_tool_calls = true;
  std::string tools_json, tool_choice_json; // as sent, echoed in the response object
  answer::OutputFormat format;              // text.format
  std::string format_json;                  // text.format as sent (json formats), echoed
};

ApiResult<ResponsesRequest> parse_responses_request(std::string_view body);

// The conversation Grok answers: the instructions as a system turn, then `history` (the turns
// replayed from previous_response_id), then the request's input.
answer::Conversation responses_conversation(const ResponsesRequest &req,
                                            const std::vector<answer::Turn> &history);

} // namespace g2a::openai
