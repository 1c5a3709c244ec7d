// One REST NDJSON line → RestFrame (see ndjson_frame.h). Token lines usually take the fast path
// (rest_fast_frame.cpp), which mirrors this dispatch: a field acted on here must be read there
// or listed in its kActedOn (fast_frame_fuzz compares the two).
#include "grok/ndjson_frame.h"

namespace g2a::grok {

using namespace od;

void RestFrame::clear() {
  has_conversation = false;
  conversation_id = {};
  has_error = false;
  error_message = error_code = {};
  user_response = false;
  response_id = {};
  has_token = false;
  token = {};
  is_thinking = false;
  message_tag = {};
  tool_plumbing = false;
  soft_stop = final_metadata = meta = false;
  sources.clear();
  attachments.clear();
  card_jsons.clear();
  has_image = false;
  image_url = image_id = image_asset = {};
  image_progress = image_index = -1;
  image_final = image_moderated = false;
  has_video = false;
  video_id = video_post_id = video_url = video_thumb = {};
  video_progress = -1;
  video_moderated = false;
  has_model_response = false;
  mr_response_id = {};
  mr_has_message = false;
  mr_message = mr_error = {};
  mr_image_urls.clear();
  mr_files.clear();
  mr_assets.clear();
}

namespace {

struct Reader {
  RestFrame &f;
  bool want_message;

  // `error`: an object {code, message} or a bare message string.
  error_code error(ondemand::value &v) {
    ondemand::json_type t;
    G2A_OD_TRY(type_of(v, t));
    std::string_view msg, code;
    if (t == ondemand::json_type::string) {
      G2A_OD_TRY(v.get_string().get(msg));
    } else if (t == ondemand::json_type::object) {
      G2A_OD_TRY(each_field(v, [&](std::string_view k, ondemand::value &fv) -> error_code {
        if (k == "message") return str(fv, msg);
        if (k == "code") return code_text(fv, code, f.error_code_buf);
        return SUCCESS;
      }));
    } else {
      return SUCCESS;
    }
    if (msg.empty() && (code.empty() || code == "0")) return SUCCESS; // an empty error slot
    f.has_error = true;
    f.error_message = msg;
    f.error_code = code;
    return SUCCESS;
  }

  error_code attachment(ondemand::value &v) {
    error_code err;
    if (!is(v, ondemand::json_type::object, err)) return err;
    std::string_view raw;
    G2A_OD_TRY(v.raw_json().get(raw));
    f.attachments.push_back(raw);
    return SUCCESS;
  }

  error_code image(ondemand::value &v) {
    error_code err;
    if (!is(v, ondemand::json_type::object, err)) return err;
    f.has_image = true;
    return each_field(v, [&](std::string_view k, ondemand::value &fv) -> error_code {
      if (k == "imageUrl" || k == "url" || k == "image_url") return str(fv, f.image_url);
      if (k == "imageId" || k == "imageUuid") return str(fv, f.image_id);
      if (k == "assetId") return str(fv, f.image_asset);
      if (k == "progress") return integer(fv, f.image_progress);
      if (k == "imageIndex") return integer(fv, f.image_index);
      if (k == "isFinal") return boolean(fv, f.image_final);
      if (k == "moderated") return boolean(fv, f.image_moderated);
      return SUCCESS;
    });
  }

  error_code video(ondemand::value &v) {
    error_code err;
    if (!is(v, ondemand::json_type::object, err)) return err;
    f.has_video = true;
    return each_field(v, [&](std::string_view k, ondemand::value &fv) -> error_code {
      if (k == "videoId") return str(fv, f.video_id);
      if (k == "videoPostId") return str(fv, f.video_post_id);
      if (k == "videoUrl") return str(fv, f.video_url);
      if (k == "thumbnailImageUrl") return str(fv, f.video_thumb);
      if (k == "progress") return integer(fv, f.video_progress);
      if (k == "moderated") return boolean(fv, f.video_moderated);
      return SUCCESS;
    });
  }

  error_code strings(ondemand::value &v, std::vector<std::string_view> &out) {
    return each_element(v, [&](ondemand::value &ev) -> error_code {
      std::string_view s;
      G2A_OD_TRY(str(ev, s));
      if (!s.empty()) out.push_back(s);
      return SUCCESS;
    });
  }

  error_code stream_errors(ondemand::value &v) {
    return each_element(v, [&](ondemand::value &ev) -> error_code {
      if (!f.mr_error.empty()) return SUCCESS;
      ondemand::json_type t;
      G2A_OD_TRY(type_of(ev, t));
      if (t == ondemand::json_type::string) return ev.get_string().get(f.mr_error);
      return each_field(ev, [&](std::string_view k, ondemand::value &fv) -> error_code {
        if (k == "message" && f.mr_error.empty()) return str(fv, f.mr_error);
        return SUCCESS;
      });
    });
  }

  error_code model_response(ondemand::value &v) {
    error_code err;
    if (!is(v, ondemand::json_type::object, err)) return err;
    f.has_model_response = true;
    return each_field(v, [&](std::string_view k, ondemand::value &fv) -> error_code {
      if (k == "responseId") return str(fv, f.mr_response_id);
      if (k == "message") {
        if (!want_message) return SUCCESS;
        if (!is(fv, ondemand::json_type::string, err)) return err;
        f.mr_has_message = true;
        return fv.get_string().get(f.mr_message);
      }
      if (k == "generatedImageUrls") return strings(fv, f.mr_image_urls);
      if (k == "fileAttachments") return strings(fv, f.mr_files);
      if (k == "cardAttachmentsJson") return strings(fv, f.card_jsons);
      if (k == "fileAttachmentAssetMetadata")
        return each_element(fv, [&](ondemand::value &ev) -> error_code {
          RestFrame::AssetMeta m;
          G2A_OD_TRY(each_field(ev, [&](std::string_view mk, ondemand::value &mv) -> error_code {
            if (mk == "mimeType") return str(mv, m.mime);
            if (mk == "key") return str(mv, m.key);
            if (mk == "hdKey" && m.key.empty()) return str(mv, m.key);
            return SUCCESS;
          }));
          if (!m.key.empty()) f.mr_assets.push_back(m);
          return SUCCESS;
        });
      if (k == "webSearchResults" || k == "xSearchResults") return read_sources(fv, f.sources);
      if (k == "streamErrors") return stream_errors(fv);
      if (k == "error") {
        std::string_view e;
        G2A_OD_TRY(str(fv, e));
        if (!e.empty()) f.mr_error = e;
        return SUCCESS;
      }
      return SUCCESS;
    });
  }

  // Fields of `result.response`, also accepted directly under `result` (wrapper-less).
  error_code response_field(std::string_view k, ondemand::value &v) {
    switch (k.size() ? k[0] : 0) {
    case 't':
      if (k == "token") {
        error_code err;
        if (!is(v, ondemand::json_type::string, err)) return err; // arrays are skipped
        f.has_token = true;
        return v.get_string().get(f.token);
      }
      if (k == "toolUsageCardId" || k == "toolUsageCard") f.tool_plumbing = true;
      return SUCCESS;
    case 'i':
      if (k == "isThinking") return boolean(v, f.is_thinking);
      if (k == "isSoftStop") return boolean(v, f.soft_stop);
      return SUCCESS;
    case 'm':
      if (k == "messageTag") return str(v, f.message_tag);
      if (k == "modelResponse") return model_response(v);
      return SUCCESS;
    case 'r':
      if (k == "responseId") return str(v, f.response_id);
      return SUCCESS;
    case 'l':
      if (k == "llmInfo") f.meta = true;
      return SUCCESS;
    case 'u':
      if (k == "uiLayout") {
        f.meta = true;
        return SUCCESS;
      }
      if (k == "userResponse") {
        error_code err;
        if (is(v, ondemand::json_type::object, err)) f.user_response = true;
        return err;
      }
      return SUCCESS;
    case 'f':
      if (k == "finalMetadata") {
        error_code err;
        if (!is(v, ondemand::json_type::null, err) && !err) f.final_metadata = true;
        return err;
      }
      return SUCCESS;
    case 'w':
    case 'x':
    case 'c':
      if (k == "webSearchResults" || k == "xSearchResults" || k == "citedWebSearchResults" ||
          k == "xposts" || k == "citedXposts" || k == "citedXSearchResults")
        return read_sources(v, f.sources);
      if (k == "cardAttachment") return attachment(v);
      if (k == "cardAttachments")
        return each_element(v, [&](ondemand::value &ev) { return attachment(ev); });
      if (k == "cardAttachmentsJson") return strings(v, f.card_jsons);
      if (k == "conversation") return conversation(v);
      return SUCCESS;
    case 's':
      if (k == "streamingImageGenerationResponse") return image(v);
      if (k == "streamingVideoGenerationResponse") return video(v);
      return SUCCESS;
    case 'e':
      if (k == "error") return error(v);
      return SUCCESS;
    default:
      return SUCCESS;
    }
  }

  error_code conversation(ondemand::value &v) {
    error_code err;
    if (!is(v, ondemand::json_type::object, err)) return err;
    f.has_conversation = true;
    return each_field(v, [&](std::string_view k, ondemand::value &fv) -> error_code {
      if (k == "conversationId") return str(fv, f.conversation_id);
      return SUCCESS;
    });
  }

  error_code result(ondemand::value &v) {
    return each_field(v, [&](std::string_view k, ondemand::value &fv) -> error_code {
      if (k == "response")
        return each_field(
            fv, [&](std::string_view rk, ondemand::value &rv) { return response_field(rk, rv); });
      if (k == "title") {
        f.meta = true;
        return SUCCESS;
      }
      return response_field(k, fv);
    });
  }
};

} // namespace

simdjson::error_code read_rest_frame(ondemand::parser &parser, const char *p, size_t len,
                                     size_t cap, bool want_message, RestFrame &f) {
  f.clear();
  ondemand::document doc;
  G2A_OD_TRY(parser.iterate(p, len, cap).get(doc));
  ondemand::object root;
  G2A_OD_TRY(doc.get_object().get(root));
  Reader r{f, want_message};
  for (auto fr : root) {
    ondemand::field field;
    G2A_OD_TRY(std::move(fr).get(field));
    std::string_view k = field.escaped_key();
    ondemand::value v = field.value();
    if (k == "result")
      G2A_OD_TRY(r.result(v));
    else if (k == "error")
      G2A_OD_TRY(r.error(v));
  }
  if (!doc.at_end()) return simdjson::TRAILING_CONTENT;
  return SUCCESS;
}

} // namespace g2a::grok
