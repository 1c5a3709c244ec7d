// Text renderings of RestFrame and MgwFrame holding every field, so two reads of one line can
// be compared whole (the fast-path tests and tests/fuzz/fast_frame_fuzz.cpp).
#pragma once

#include "grok/mgw_frame.h"
#include "grok/ndjson_frame.h"

#include <string>
#include <string_view>

namespace g2a::test {

inline void put(std::string &s, std::string_view name, std::string_view v) {
  s += name;
  s += '=';
  s += std::to_string(v.size());
  s += ':';
  s += v;
  s += '\n';
}
inline void put(std::string &s, std::string_view name, bool v) {
  put(s, name, std::string_view(v ? "true" : "false"));
}
inline void put(std::string &s, std::string_view name, int v) {
  put(s, name, std::string_view(std::to_string(v)));
}

inline void put_sources(std::string &s, const std::vector<grok::od::SourceRef> &v) {
  for (const auto &r : v) {
    put(s, "source.url", r.url);
    put(s, "source.title", r.title);
    put(s, "source.x_user", r.x_user);
    put(s, "source.x_post", r.x_post);
    put(s, "source.text", r.text);
  }
}

inline std::string describe(const grok::RestFrame &f) {
  std::string s;
  put(s, "has_conversation", f.has_conversation);
  put(s, "conversation_id", f.conversation_id);
  put(s, "has_error", f.has_error);
  put(s, "error_message", f.error_message);
  put(s, "error_code", f.error_code);
  put(s, "user_response", f.user_response);
  put(s, "response_id", f.response_id);
  put(s, "has_token", f.has_token);
  put(s, "token", f.token);
  put(s, "is_thinking", f.is_thinking);
  put(s, "message_tag", f.message_tag);
  put(s, "tool_plumbing", f.tool_plumbing);
  put(s, "soft_stop", f.soft_stop);
  put(s, "final_metadata", f.final_metadata);
  put(s, "meta", f.meta);
  put_sources(s, f.sources);
  for (auto a : f.attachments) put(s, "attachment", a);
  for (auto c : f.card_jsons) put(s, "card_json", c);
  put(s, "has_image", f.has_image);
  put(s, "image_url", f.image_url);
  put(s, "image_id", f.image_id);
  put(s, "image_asset", f.image_asset);
  put(s, "image_progress", f.image_progress);
  put(s, "image_index", f.image_index);
  put(s, "image_final", f.image_final);
  put(s, "image_moderated", f.image_moderated);
  put(s, "has_video", f.has_video);
  put(s, "video_id", f.video_id);
  put(s, "video_post_id", f.video_post_id);
  put(s, "video_url", f.video_url);
  put(s, "video_thumb", f.video_thumb);
  put(s, "video_progress", f.video_progress);
  put(s, "video_moderated", f.video_moderated);
  put(s, "has_model_response", f.has_model_response);
  put(s, "mr_response_id", f.mr_response_id);
  put(s, "mr_has_message", f.mr_has_message);
  put(s, "mr_message", f.mr_message);
  put(s, "mr_error", f.mr_error);
  for (auto u : f.mr_image_urls) put(s, "mr_image_url", u);
  for (auto u : f.mr_files) put(s, "mr_file", u);
  for (const auto &a : f.mr_assets) {
    put(s, "mr_asset.mime", a.mime);
    put(s, "mr_asset.key", a.key);
  }
  return s;
}

inline std::string describe(const grok::MgwFrame &f) {
  std::string s;
  put(s, "session_id", f.session_id);
  put(s, "type", f.type);
  put(s, "client_event_id", f.client_event_id);
  put(s, "conversation_id", f.conversation_id);
  put(s, "response_id", f.response_id);
  put(s, "status", f.status);
  put(s, "status_reason", f.status_reason);
  put(s, "has_text", f.has_text);
  put(s, "text", f.text);
  put(s, "channel", f.channel);
  put(s, "has_delta", f.has_delta);
  put(s, "delta", f.delta);
  put(s, "has_full_text", f.has_full_text);
  put(s, "full_text", f.full_text);
  put(s, "has_citation", f.has_citation);
  put(s, "citation_url", f.citation_url);
  put(s, "citation_title", f.citation_title);
  put_sources(s, f.sources);
  for (auto a : f.attachments) put(s, "attachment", a);
  put(s, "has_stream_error", f.has_stream_error);
  put(s, "se_kind", f.se_kind);
  put(s, "se_message", f.se_message);
  put(s, "se_reason", f.se_reason);
  put(s, "se_rate_limited", f.se_rate_limited);
  put(s, "progress", f.progress);
  put(s, "has_error", f.has_error);
  put(s, "error_message", f.error_message);
  put(s, "error_code", f.error_code);
  return s;
}

} // namespace g2a::test
