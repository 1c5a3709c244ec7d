// One mgw server frame → MgwFrame (see mgw_frame.h). Text frames usually take the fast path
// (mgw_fast_frame.cpp), which mirrors this dispatch: a field acted on here must be read there
// or send the frame back here (fast_frame_fuzz compares the two).
#include "grok/mgw_frame.h"

namespace g2a::grok {

using namespace od;

void MgwFrame::clear() {
  session_id = type = client_event_id = conversation_id = {};
  response_id = status = status_reason = {};
  has_text = false;
  text = channel = {};
  has_delta = false;
  delta = {};
  has_full_text = false;
  full_text = {};
  has_citation = false;
  citation_url = citation_title = {};
  sources.clear();
  attachments.clear();
  has_stream_error = false;
  se_kind = se_message = se_reason = {};
  se_rate_limited = false;
  progress = {};
  has_error = false;
  error_message = error_code = {};
}

namespace {

struct Reader {
  MgwFrame &f;

  // Object values of a tool_result (`web_search`, `x_post`, …) hold the result lists.
  error_code tool_result(ondemand::value &v) {
    return each_field(v, [&](std::string_view, ondemand::value &fv) -> error_code {
      error_code err;
      if (is(fv, ondemand::json_type::object, err)) return read_sources(fv, f.sources);
      return err;
    });
  }

  error_code chunk(ondemand::value &v) {
    return each_field(v, [&](std::string_view k, ondemand::value &fv) -> error_code {
      if (k == "text") {
        error_code err;
        if (!is(fv, ondemand::json_type::object, err)) return err;
        f.has_text = true;
        return each_field(fv, [&](std::string_view tk, ondemand::value &tv) -> error_code {
          if (tk == "text") return str(tv, f.text);
          if (tk == "channel") return str(tv, f.channel);
          return SUCCESS;
        });
      }
      if (k == "tool_result") return tool_result(fv);
      if (k == "render_citation") {
        error_code err;
        if (!is(fv, ondemand::json_type::object, err)) return err;
        f.has_citation = true;
        return each_field(fv, [&](std::string_view ck, ondemand::value &cv) -> error_code {
          if (ck == "url") return str(cv, f.citation_url);
          if (ck == "title") return str(cv, f.citation_title);
          return SUCCESS;
        });
      }
      return SUCCESS; // tool_usage_card and unknown chunk kinds
    });
  }

  error_code stream_error(ondemand::value &v) {
    error_code err;
    if (!is(v, ondemand::json_type::object, err)) return err;
    f.has_stream_error = true;
    return each_field(v, [&](std::string_view k, ondemand::value &fv) -> error_code {
      if (k == "kind") return str(fv, f.se_kind);
      if (k == "message") return str(fv, f.se_message);
      if (k == "details")
        return each_field(fv, [&](std::string_view dk, ondemand::value &dv) -> error_code {
          if (dk == "reason") return str(dv, f.se_reason);
          return SUCCESS;
        });
      if (k == "usageLimitReached" || k == "globalRateLimit" || k == "usagePoolExhausted") {
        if (!is(fv, ondemand::json_type::null, err) && !err) {
          bool flag = true; // an object/true marks the limit; false does not
          G2A_OD_TRY(boolean(fv, flag));
          if (flag) f.se_rate_limited = true;
        }
        return err;
      }
      return SUCCESS;
    });
  }

  error_code output(ondemand::value &v) {
    return each_field(v, [&](std::string_view k, ondemand::value &fv) -> error_code {
      if (k == "card_attachment" || k == "cardAttachment") {
        error_code err;
        if (!is(fv, ondemand::json_type::object, err)) return err;
        std::string_view raw;
        G2A_OD_TRY(fv.raw_json().get(raw));
        f.attachments.push_back(raw);
        return SUCCESS;
      }
      if (k == "stream_error") return stream_error(fv);
      if (k == "progress_report")
        return each_field(fv, [&](std::string_view pk, ondemand::value &pv) -> error_code {
          if (pk == "message") return str(pv, f.progress);
          return SUCCESS;
        });
      if (k == "tool_result") return tool_result(fv);
      return SUCCESS;
    });
  }

  error_code response(ondemand::value &v) {
    return each_field(v, [&](std::string_view k, ondemand::value &fv) -> error_code {
      if (k == "id") return str(fv, f.response_id);
      if (k == "status") return str(fv, f.status);
      if (k == "status_details") {
        ondemand::json_type t;
        G2A_OD_TRY(type_of(fv, t));
        if (t == ondemand::json_type::string) return fv.get_string().get(f.status_reason);
        return each_field(fv, [&](std::string_view sk, ondemand::value &sv) -> error_code {
          if (sk == "reason" || (sk == "message" && f.status_reason.empty()))
            return str(sv, f.status_reason);
          return SUCCESS;
        });
      }
      return SUCCESS;
    });
  }

  error_code error(ondemand::value &v) {
    ondemand::json_type t;
    G2A_OD_TRY(type_of(v, t));
    if (t == ondemand::json_type::string) {
      f.has_error = true;
      return v.get_string().get(f.error_message);
    }
    if (t != ondemand::json_type::object) return SUCCESS;
    f.has_error = true;
    return each_field(v, [&](std::string_view k, ondemand::value &fv) -> error_code {
      if (k == "message") return str(fv, f.error_message);
      if (k == "code") return code_text(fv, f.error_code, f.code_buf);
      return SUCCESS;
    });
  }

  error_code event(ondemand::value &v) {
    return each_field(v, [&](std::string_view k, ondemand::value &fv) -> error_code {
      if (k == "type") return str(fv, f.type);
      if (k == "client_event_id") return str(fv, f.client_event_id);
      if (k == "conversation")
        return each_field(fv, [&](std::string_view ck, ondemand::value &cv) -> error_code {
          if (ck == "id") return str(cv, f.conversation_id);
          return SUCCESS;
        });
      if (k == "response") return response(fv);
      if (k == "chunk") return chunk(fv);
      if (k == "delta") {
        error_code err;
        if (!is(fv, ondemand::json_type::string, err)) return err;
        f.has_delta = true;
        return fv.get_string().get(f.delta);
      }
      if (k == "text") {
        error_code err;
        if (!is(fv, ondemand::json_type::string, err)) return err;
        f.has_full_text = true;
        return fv.get_string().get(f.full_text);
      }
      if (k == "result" || k == "search_result") return read_sources(fv, f.sources);
      if (k == "output") return output(fv);
      if (k == "error") return error(fv);
      if (k == "message" && f.error_message.empty()) return str(fv, f.error_message);
      return SUCCESS;
    });
  }
};

} // namespace

simdjson::error_code read_mgw_frame(ondemand::parser &parser, const char *p, size_t len, size_t cap,
                                    MgwFrame &f) {
  f.clear();
  ondemand::document doc;
  G2A_OD_TRY(parser.iterate(p, len, cap).get(doc));
  ondemand::object root;
  G2A_OD_TRY(doc.get_object().get(root));
  Reader r{f};
  for (auto fr : root) {
    ondemand::field field;
    G2A_OD_TRY(std::move(fr).get(field));
    std::string_view k = field.escaped_key();
    ondemand::value v = field.value();
    if (k == "session_id")
      G2A_OD_TRY(str(v, f.session_id));
    else if (k == "event")
      G2A_OD_TRY(r.event(v));
  }
  if (!doc.at_end()) return simdjson::TRAILING_CONTENT;
  return SUCCESS;
}

} // namespace g2a::grok
