// Reads one server frame of the mgw chat WebSocket (`{"session_id"?, "event":{type,…}}`)
// into an MgwFrame: every field the session acts on, whatever the event type. Reading only
// collects; the session acts once the whole frame parsed.
#pragma once

#include "grok/ondemand_util.h"

#include <simdjson.h>

#include <string_view>
#include <vector>

namespace g2a::grok {

// Views point into the parser's buffers or the frame: valid until the next frame is read.
struct MgwFrame {
  std::string_view session_id; // top level
  std::string_view type;
  std::string_view client_event_id;
  std::string_view conversation_id;                    // conversation.id
  std::string_view response_id, status, status_reason; // response{id, status, status_details}

  bool has_text = false; // chunk.text{text, channel}
  std::string_view text, channel;
  bool has_delta = false; // response.output_text.delta
  std::string_view delta;
  bool has_full_text = false; // response.output_text.done
  std::string_view full_text;
  bool has_citation = false; // chunk.render_citation
  std::string_view citation_url, citation_title;
  std::vector<od::SourceRef> sources;        // tool_result lists, response.search.result
  std::vector<std::string_view> attachments; // output.card_attachment (raw JSON)

  bool has_stream_error = false; // output.stream_error
  std::string_view se_kind, se_message, se_reason;
  bool se_rate_limited = false; // usageLimitReached / globalRateLimit / usagePoolExhausted
  std::string_view progress;    // output.progress_report.message

  bool has_error = false; // `error` event: error{code,message} or message
  std::string_view error_message, error_code;
  char code_buf[24];

  void clear();
};

// Parses the frame at [p, p+len) (`cap` readable bytes from p, >= len + SIMDJSON_PADDING).
simdjson::error_code read_mgw_frame(simdjson::ondemand::parser &parser, const char *p, size_t len,
                                    size_t cap, MgwFrame &f);

} // namespace g2a::grok
