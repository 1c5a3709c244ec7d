// Chat Completions request parsing with simdjson On-Demand: object fields are visited once,
// in document order; fields we do not read are skipped without being materialised. Note that
// On-Demand only checks the structure (and UTF-8) of skipped values, not their scalars.
#include "openai/chat_request.h"
#include "core/text.h"

#include "core/json.h"
#include "openai/param_reader.h"

#include <algorithm>
#include <optional>

namespace g2a::openai {
namespace {

// Where a parameter lives, rendered only when an error names it:
// "model", "messages[3].role", "messages[0].content[1].image_url.url",
// "messages[2].tool_calls[0].function.name".
struct Param {
  long msg = -1;
  long part = -1; // content[j]
  long call = -1; // tool_calls[k]
  const char *field = "";

  std::string str() const {
    if (msg < 0) return field;
    std::string s = "messages[" + std::to_string(msg) + "]";
    if (part >= 0) s += ".content[" + std::to_string(part) + "]";
    if (call >= 0) s += ".tool_calls[" + std::to_string(call) + "]";
    if (*field) s += std::string(".") + field;
    return s;
  }
  Param with(const char *f) const {
    Param p = *this;
    p.field = f;
    return p;
  }
};

ApiError missing(const Param &p) {
  return missing_param(p.str());
}

ApiError wrong_type(const Param &p, const char *expected, json_type got) {
  return wrong_type_param(p.str(), expected, got);
}

ApiError bad_value(const Param &p, const std::string &why, const char *code = "invalid_value") {
  return bad_value_param(p.str(), why, code);
}

class Reader : public ParamReader {
public:
  // ---- top level ----------------------------------------------------------------------

  bool messages(od::value &v, std::vector<Message> &out) {
    Param p{.field = "messages"};
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return fail(missing(p));
    if (t != json_type::array) return fail(wrong_type(p, "an array", t));
    od::array arr;
    if (auto e = v.get_array().get(arr)) return syntax(e);
    out.clear();
    if (!elements_of(arr, [&](long, od::value &mv) {
          if (out.size() >= kMaxMessages)
            return fail(bad_value(p, "array too long. Expected an array with maximum length " +
                                         std::to_string(kMaxMessages) + "."));
          out.emplace_back();
          return message(mv, static_cast<long>(out.size() - 1), out.back());
        }))
      return false;
    if (out.empty())
      return fail(bad_value(p, "empty array. Expected an array with minimum length 1."));
    return true;
  }

  bool response_format(od::value &v, ChatRequest &req) {
    std::string raw;
    if (!output_format(v, tools::Api::Chat, "response_format", raw, req.conversation.format))
      return false;
    auto j = parse_json(raw);
    if (j && j->is_object()) req.response_format_type = str_or(*j, "type");
    return true;
  }

  // tool_choice, or the legacy function_call (tool_choice wins when both are sent).
  bool choice(od::value &v, ChatRequest &req, std::string_view field) {
    std::string raw;
    answer::ToolChoice c;
    bool parallel = true;
    if (!tool_choice(v, tools::Api::Chat, field, raw, c, parallel)) return false;
    if (field == "tool_choice" || !req.has_tool_choice) req.conversation.tool_choice = c;
    if (field == "tool_choice") req.has_tool_choice = true;
    return true;
  }

  bool video_config(od::value &v, VideoConfig &vc) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    vc.present = t == json_type::object;
    return fields(v, "video_config", [&](std::string_view key, od::value &fv) {
      if (key == "aspect_ratio")
        return opt_string(fv, "video_config.aspect_ratio", vc.aspect_ratio);
      if (key == "resolution") return opt_string(fv, "video_config.resolution", vc.resolution);
      if (key == "preset") return opt_string(fv, "video_config.preset", vc.preset);
      if (key == "video_length") {
        Param p{.field = "video_config.video_length"};
        long long n = 0;
        bool set = false;
        if (!opt_int(fv, p, n, set)) return false;
        if (set && (n < 1 || n > 60))
          return fail(bad_value(p, "expected a number of seconds from 1 to 60."));
        if (set) vc.video_length = static_cast<int>(n);
      }
      return true;
    });
  }

  // ---- one message ---------------------------------------------------------------------

  bool message(od::value &v, long i, Message &m) {
    Param p{.msg = i};
    long first_image_part = -1;
    if (!fields(v, p, [&](std::string_view key, od::value &fv) {
          if (key == "role") return opt_string(fv, p.with("role"), m.role);
          if (key == "content") return content(fv, p, m, first_image_part);
          if (key == "name") return opt_string(fv, p.with("name"), m.name);
          if (key == "tool_call_id") return opt_string(fv, p.with("tool_call_id"), m.tool_call_id);
          if (key == "tool_calls") return tool_calls(fv, p, m);
          if (key == "function_call") return legacy_function_call(fv, p, m);
          return true; // reasoning_content / reasoning / refusal / audio / …: accepted, ignored
        }))
      return false;
    if (m.role.empty()) return fail(missing(p.with("role")));
    static constexpr std::string_view roles[] = {"system",    "developer", "user",
                                                 "assistant", "tool",      "function"};
    bool known = false;
    for (auto r : roles) known = known || m.role == r;
    if (!known)
      return fail(bad_value(p.with("role"), "'" + m.role +
                                                "' is not one of 'system', 'developer', 'user', "
                                                "'assistant', 'tool', 'function'."));
    if (first_image_part >= 0 && m.role != "user") {
      Param ip{.msg = i, .part = first_image_part};
      return fail(bad_value(ip, "image content is only allowed in user messages, but this "
                                "message has role '" +
                                    m.role + "'."));
    }
    return true;
  }

  bool content(od::value &v, const Param &mp, Message &m, long &first_image_part) {
    Param p = mp.with("content");
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t == json_type::string) {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return syntax(e);
      m.text.assign(s);
      return true;
    }
    if (t != json_type::array)
      return fail(wrong_type(p, "a string or an array of content parts", t));
    od::array arr;
    if (auto e = v.get_array().get(arr)) return syntax(e);
    m.text.clear();
    return elements_of(arr, [&](long j, od::value &pv) {
      size_t images_before = m.images.size();
      if (!part(pv, Param{.msg = mp.msg, .part = j}, m)) return false;
      if (m.images.size() > images_before && first_image_part < 0) first_image_part = j;
      return true;
    });
  }

  static void append_text_part(std::string &text, std::string_view s) {
    if (s.find_first_not_of(" \t\r\n") == std::string_view::npos) return; // blank: dropped
    if (!text.empty()) text += '\n';
    text += s;
  }

  bool part(od::value &v, const Param &p, Message &m) {
    // Fields may come in any order; remember them and judge once `type` is known.
    std::string type, text, refusal;
    bool has_type = false, has_text = false, has_refusal = false, has_image = false;
    std::optional<json_type> text_bad, image_bad;
    ContentImage img;
    if (!fields(v, p, [&](std::string_view key, od::value &fv) {
          json_type t;
          if (key == "type") {
            if (!type_of(fv, t)) return false;
            if (t != json_type::string) return fail(wrong_type(p.with("type"), "a string", t));
            if (!opt_string(fv, p.with("type"), type)) return false;
            has_type = true;
          } else if (key == "text") {
            if (!type_of(fv, t)) return false;
            if (t == json_type::string) {
              if (!opt_string(fv, p.with("text"), text)) return false;
              has_text = true;
            } else if (t != json_type::null) {
              text_bad = t;
            }
          } else if (key == "refusal") {
            if (!opt_string(fv, p.with("refusal"), refusal)) return false;
            has_refusal = true;
          } else if (key == "image_url") {
            if (!type_of(fv, t)) return false;
            if (t == json_type::string) {
              if (!opt_string(fv, p.with("image_url"), img.url)) return false;
              has_image = true;
            } else if (t == json_type::object) {
              if (!image_object(fv, p, img)) return false;
              has_image = true;
            } else if (t != json_type::null) {
              image_bad = t;
            }
          }
          return true;
        }))
      return false;
    if (!has_type) return fail(missing(p.with("type")));
    if (type == "text" || type == "input_text") {
      if (text_bad) return fail(wrong_type(p.with("text"), "a string", *text_bad));
      if (!has_text) return fail(missing(p.with("text")));
      append_text_part(m.text, text);
      return true;
    }
    if (type == "refusal") { // replayed assistant refusal: keep it as text
      append_text_part(m.text, has_refusal ? refusal : text);
      return true;
    }
    if (type == "image_url" || type == "input_image") {
      if (image_bad)
        return fail(wrong_type(p.with("image_url"), "an object or a string", *image_bad));
      if (!has_image || img.url.empty()) return fail(missing(p.with("image_url.url")));
      if (!text::is_http_url(img.url) && !text::istarts_with(img.url, "data:image/"))
        return fail(bad_value(p.with("image_url.url"),
                              "expected an https:// or http:// URL or a data:image/... URI."));
      m.images.push_back(std::move(img));
      return true;
    }
    if (type == "input_audio" || type == "file" || type == "input_file" || type == "audio")
      return fail(bad_value(p.with("type"),
                            "content parts of type '" + type +
                                "' are not supported by this gateway; send text and "
                                "image_url parts.",
                            "unsupported_parameter"));
    return fail(bad_value(p.with("type"), "'" + type +
                                              "' is not a supported content part type; "
                                              "expected 'text' or 'image_url'."));
  }

  bool image_object(od::value &v, const Param &p, ContentImage &img) {
    return fields(v, p.with("image_url"), [&](std::string_view key, od::value &fv) {
      if (key == "url") return opt_string(fv, p.with("image_url.url"), img.url);
      if (key == "detail") return opt_string(fv, p.with("image_url.detail"), img.detail);
      return true;
    });
  }

  // ---- tool calls ----------------------------------------------------------------------

  bool tool_calls(od::value &v, const Param &mp, Message &m) {
    od::array arr;
    bool present = false;
    if (!opt_array(v, mp.with("tool_calls"), arr, present) || !present) return !err;
    return elements_of(arr, [&](long k, od::value &cv) {
      Param p = mp;
      p.call = k;
      ToolCall call;
      bool has_function = false;
      if (!fields(cv, p, [&](std::string_view key, od::value &fv) {
            if (key == "id") return opt_string(fv, p.with("id"), call.id);
            if (key == "function") {
              has_function = true;
              return function(fv, p, "function", "function.name", "function.arguments", call);
            }
            return true;
          }))
        return false;
      if (!has_function) return fail(missing(p.with("function")));
      m.tool_calls.push_back(std::move(call));
      return true;
    });
  }

  // The legacy `function_call: {name, arguments}` on assistant messages, as one tool call.
  bool legacy_function_call(od::value &v, const Param &mp, Message &m) {
    ToolCall call;
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (!function(v, mp, "function_call", "function_call.name", "function_call.arguments", call))
      return false;
    m.tool_calls.push_back(std::move(call));
    return true;
  }

  bool function(od::value &v, const Param &p, const char *self, const char *name_field,
                const char *args_field, ToolCall &call) {
    if (!fields(v, p.with(self), [&](std::string_view key, od::value &fv) {
          if (key == "name") return opt_string(fv, p.with(name_field), call.name);
          if (key != "arguments") return true;
          json_type t;
          if (!type_of(fv, t)) return false;
          if (t == json_type::string) return opt_string(fv, p.with(args_field), call.arguments);
          if (t != json_type::null) return raw_text(fv, call.arguments); // an object, unencoded
          return true;
        }))
      return false;
    if (call.name.empty()) return fail(missing(p.with(name_field)));
    return true;
  }
};

} // namespace

ApiResult<ChatRequest> parse_chat_request(std::string_view body) {
  Reader r;
  ChatRequest req;
  bool has_messages = false;
  long long max_tokens = -1, max_completion = -1;
  bool max_set = false;
  auto err = read_body(body, r, [&](std::string_view key, od::value &v) {
    if (key == "model") return r.opt_string(v, "model", req.model);
    if (key == "messages") {
      has_messages = true;
      return r.messages(v, req.conversation.turns);
    }
    if (key == "stream") return r.opt_bool(v, "stream", req.stream);
    if (key == "stream_options")
      return r.opt_fields(v, "stream_options", [&](std::string_view k, od::value &fv) {
        return k != "include_usage" ||
               r.opt_bool(fv, "stream_options.include_usage", req.include_usage);
      });
    if (key == "n") {
      long long n = 1;
      bool set = false;
      if (!r.opt_positive(v, "n", n, set)) return false;
      if (set && n > 1)
        return r.fail(bad_value_param("n", "this gateway returns a single choice; n must be 1.",
                                      "unsupported_parameter"));
      return true;
    }
    if (key == "reasoning_effort") return r.opt_string(v, "reasoning_effort", req.reasoning_effort);
    if (key == "max_tokens") return r.opt_positive(v, "max_tokens", max_tokens, max_set);
    if (key == "max_completion_tokens")
      return r.opt_positive(v, "max_completion_tokens", max_completion, max_set);
    if (key == "user") return r.opt_string(v, "user", req.user);
    if (key == "tools" || key == "functions") {
      std::string raw;
      if (!r.tools(v, tools::Api::Chat, key, raw, req.conversation.tools)) return false;
      req.has_tools = !req.conversation.tools.empty();
      return true;
    }
    if (key == "tool_choice" || key == "function_call") return r.choice(v, req, key);
    if (key == "parallel_tool_calls")
      return r.opt_bool(v, "parallel_tool_calls", req.conversation.parallel_tool_calls);
    if (key == "response_format") return r.response_format(v, req);
    if (key == "video_config") return r.video_config(v, req.video);
    return true;
  });
  if (err) return std::move(*err);

  if (req.model.empty())
    return invalid_request("Missing required parameter: 'model'. Name the model to use.", "model",
                           "missing_required_parameter");
  if (!has_messages) return missing_param("messages");
  req.max_tokens = std::max(max_tokens, max_completion);
  if (auto p = tools::check_tool_choice(req.conversation, tools::Api::Chat,
                                        req.has_tool_choice ? "tool_choice" : "function_call"))
    return tool_problem(*p);
  return req;
}

} // namespace g2a::openai
