// Reads one REST NDJSON line (a JSON object) into a RestFrame: every field the decoder acts
// on, in both the `result.response.*` and the wrapper-less `result.*` spellings. Reading only
// collects; the decoder acts once the whole line parsed, so a malformed line emits nothing.
#pragma once

#include "grok/ondemand_util.h"

#include <simdjson.h>

#include <string_view>
#include <vector>

namespace g2a::grok {

// Views point into the parser's buffers or the line: valid until the next line is read.
struct RestFrame {
  bool has_conversation = false;
  std::string_view conversation_id;

  bool has_error = false; // top-level `error` or `result.response.error`
  std::string_view error_message, error_code;
  char error_code_buf[24];

  bool user_response = false; // the frame echoes the user turn
  std::string_view response_id;

  bool has_token = false;
  std::string_view token;
  bool is_thinking = false;
  std::string_view message_tag;
  bool tool_plumbing = false; // toolUsageCardId / toolUsageCard present

  bool soft_stop = false;
  bool final_metadata = false;
  bool meta = false; // uiLayout, llmInfo or title: known, nothing to act on

  std::vector<od::SourceRef> sources;
  std::vector<std::string_view> attachments; // cardAttachment(s): raw attachment JSON
  std::vector<std::string_view> card_jsons;  // cardAttachmentsJson: card JSON texts

  bool has_image = false; // streamingImageGenerationResponse
  std::string_view image_url, image_id, image_asset;
  int image_progress = -1, image_index = -1;
  bool image_final = false, image_moderated = false;

  bool has_video = false; // streamingVideoGenerationResponse
  std::string_view video_id, video_post_id, video_url, video_thumb;
  int video_progress = -1;
  bool video_moderated = false;

  struct AssetMeta {
    std::string_view mime, key;
  };
  bool has_model_response = false;
  std::string_view mr_response_id;
  bool mr_has_message = false;
  std::string_view mr_message;
  std::string_view mr_error; // modelResponse.error or the first streamErrors entry
  std::vector<std::string_view> mr_image_urls, mr_files;
  std::vector<AssetMeta> mr_assets;

  void clear();
  // The line carried a field the decoder knows (acted on, or known metadata); false for a
  // frame of a kind Grok added since (ignored and counted).
  bool known() const {
    return meta || has_conversation || has_error || user_response || has_token || tool_plumbing ||
           soft_stop || final_metadata || !sources.empty() || !attachments.empty() ||
           !card_jsons.empty() || has_image || has_video || has_model_response;
  }
};

// Parses the line at [p, p+len) (`cap` readable bytes from p, >= len + SIMDJSON_PADDING).
// `want_message`: read modelResponse.message (skipped when the answer was already streamed).
simdjson::error_code read_rest_frame(simdjson::ondemand::parser &parser, const char *p, size_t len,
                                     size_t cap, bool want_message, RestFrame &f);

} // namespace g2a::grok
