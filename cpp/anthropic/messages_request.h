// Anthropic Messages request (`POST /v1/messages` and `/v1/messages/count_tokens`), parsed and
// validated in one pass with simdjson On-Demand into a neutral answer::Conversation.
//   - `system`: a string or text blocks (cache_control ignored; Claude Code's per-request
//     "x-anthropic-billing-header: …" block dropped); `role:"system"` messages (Claude Code
//     sends them) are folded into the system text, after it, in order.
//   - `messages[].content`: a string or blocks — text; image (base64 → data: URI, url; user
//     turns); tool_use on assistant turns → Turn tool_calls (input kept as JSON text);
//     tool_result on user turns → a `tool` turn each (is_error marks its text), before the
//     turn's own text; thinking on assistant turns → kept for signature checks, not prompted;
//     redacted_thinking, server_tool_use, web_search_tool_result → accepted, ignored;
//     document, search_result, container_upload, tool_reference (also inside tool_result) →
//     a "[<type> block omitted: …]" marker in the turn's text.
//   - `max_tokens` required (not for count_tokens), `stop_sequences`, `thinking`
//     (enabled + budget_tokens >= 1024 and < max_tokens | disabled | adaptive), `metadata`,
//     `stream`, `model`; `tools` and `tool_choice` (tools/catalogue.h: custom tools into the
//     conversation's catalogue, server tools accepted and not offered); temperature and other
//     fields are accepted.
// Errors are 400 invalid_request_error whose message starts with the field's path, as
// Anthropic writes them ("max_tokens: Field required", "messages.1.content.0.source.data: …").
#pragma once

#include "answer/conversation.h"
#include "http/api_error.h"
#include "http/api_result.h"

#include <string>
#include <string_view>
#include <vector>

namespace g2a::anthropic {

enum class Thinking { Absent, Enabled, Disabled, Adaptive };

// A thinking block a client sent back on an assistant turn.
struct SentThinking {
  std::string thinking, signature;
  std::string path; // "messages.1.content.0", for the error that refuses it
};

struct MessagesRequest {
  std::string model;
  answer::Conversation conversation; // system first (when any), then the turns
  long long max_tokens = -1;         // -1: absent (count_tokens)
  std::vector<std::string> stop_sequences;
  Thinking thinking = Thinking::Absent;
  long long budget_tokens = 0;
  std::string user_id; // metadata.user_id
  bool stream = false;
  size_t tools = 0; // custom and server tools declared (server tools are not offered; the
                    // custom ones are in conversation.tools)
  std::vector<SentThinking> sent_thinking;
};

inline constexpr size_t kMaxMessages = 10000;
inline constexpr size_t kMaxStopSequences = 16;

enum class MessagesEndpoint { Create, CountTokens };

ApiResult<MessagesRequest> parse_messages_request(std::string_view body, MessagesEndpoint endpoint);

} // namespace g2a::anthropic
