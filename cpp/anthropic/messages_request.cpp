// Anthropic Messages request parsing with simdjson On-Demand (rules in messages_request.h):
// fields are visited once, in document order; values we do not read are skipped unmaterialised.
#include "anthropic/messages_request.h"
#include "core/text.h"

#include "core/json.h"
#include "tools/catalogue.h"

#include <simdjson.h>

#include <optional>

namespace g2a::anthropic {
namespace {

namespace od = simdjson::ondemand;
using od::json_type;

const char *expected_name(json_type t) {
  switch (t) {
  case json_type::array:
    return "a valid list";
  case json_type::object:
    return "a valid dictionary";
  case json_type::number:
    return "a valid number";
  case json_type::string:
    return "a valid string";
  case json_type::boolean:
    return "a valid boolean";
  case json_type::null:
    return "null";
  }
  return "a valid value";
}

ApiError bad_json(simdjson::error_code e) {
  return invalid_request(std::string("The request body is not valid JSON: ") +
                             simdjson::error_message(e),
                         {}, "invalid_json");
}

ApiError field_error(const std::string &path, const std::string &why, const char *code) {
  return invalid_request(path + ": " + why, path, code);
}

ApiError missing(const std::string &path) {
  return field_error(path, "Field required", "missing_required_parameter");
}

ApiError wrong_type(const std::string &path, json_type want) {
  return field_error(path, std::string("Input should be ") + expected_name(want), "invalid_type");
}

ApiError bad_value(const std::string &path, const std::string &why) {
  return field_error(path, why, "invalid_value");
}

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

void append_text(std::string &text, std::string_view s, std::string_view sep = "\n") {
  if (blank(s)) return;
  if (!text.empty()) text += sep;
  text += s;
}

// Blocks this gateway cannot pass on (a PDF a tool read, a search result): the turn keeps a
// marker in their place, so the model knows something was there and a conversation that
// carries one (Claude Code keeps its history) is not refused on every later turn.
bool omitted_kind(std::string_view type) {
  return type == "document" || type == "search_result" || type == "container_upload" ||
         type == "tool_reference";
}

std::string omitted(std::string_view type) {
  return "[" + std::string(type) + " block omitted: this gateway passes on text and images only]";
}

std::string trim_json(std::string_view raw) {
  while (!raw.empty() &&
         (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
    raw.remove_suffix(1);
  return std::string(raw);
}

// One content block, its fields gathered before `type` decides what they mean.
struct Block {
  std::string type, text, thinking, signature, id, name, input, tool_use_id;
  bool has_type = false, has_text = false, has_thinking = false, has_signature = false;
  bool has_source = false, has_input = false, is_error = false;
  std::string source_type, media_type, data, url;
  bool has_data = false, has_url = false, has_media_type = false;
  std::optional<std::string> content_text; // tool_result content, flattened to text
  std::vector<answer::ContentImage> content_images;
};

class Reader {
public:
  std::optional<ApiError> err;
  MessagesRequest &req;
  std::string system_text;
  std::vector<std::string> server_tools; // names of the server tools declared (not offered)

  explicit Reader(MessagesRequest &r) : req(r) {}

  bool fail(ApiError e) {
    if (!err) err = std::move(e);
    return false;
  }
  bool syntax(simdjson::error_code e) { return fail(bad_json(e)); }

  bool type_of(od::value &v, json_type &t) {
    if (auto e = v.type().get(t)) return syntax(e);
    return true;
  }

  // A string, or null (leaves `out` alone).
  bool opt_string(od::value &v, const std::string &path, std::string &out,
                  bool *present = nullptr) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::string) return fail(wrong_type(path, json_type::string));
    std::string_view s;
    if (auto e = v.get_string().get(s)) return syntax(e);
    out.assign(s);
    if (present) *present = true;
    return true;
  }

  bool opt_bool(od::value &v, const std::string &path, bool &out) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::boolean) return fail(wrong_type(path, json_type::boolean));
    if (auto e = v.get_bool().get(out)) return syntax(e);
    return true;
  }

  bool opt_int(od::value &v, const std::string &path, long long &out, bool &present) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::number)
      return fail(field_error(path, "Input should be a valid integer", "invalid_type"));
    int64_t i = 0;
    if (v.get_int64().get(i) == simdjson::SUCCESS) {
      out = i;
      present = true;
      return true;
    }
    double d = 0;
    if (auto e = v.get_double().get(d)) return syntax(e);
    if (!(d >= -9.0e18 && d <= 9.0e18) || static_cast<double>(static_cast<long long>(d)) != d)
      return fail(field_error(path, "Input should be a valid integer", "invalid_type"));
    out = static_cast<long long>(d);
    present = true;
    return true;
  }

  template <class F> bool each_field(od::value &v, const std::string &path, F &&f) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t != json_type::object) return fail(wrong_type(path, json_type::object));
    od::object obj;
    if (auto e = v.get_object().get(obj)) return syntax(e);
    for (auto field : obj) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return syntax(e);
      od::value fv;
      if (auto e = field.value().get(fv)) return syntax(e);
      if (!f(key, fv)) return false;
    }
    return true;
  }

  template <class F> bool each_element(od::value &v, const std::string &path, F &&f) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t != json_type::array) return fail(wrong_type(path, json_type::array));
    od::array arr;
    if (auto e = v.get_array().get(arr)) return syntax(e);
    size_t i = 0;
    for (auto el : arr) {
      od::value ev;
      if (auto e = el.get(ev)) return syntax(e);
      if (!f(i, ev)) return false;
      ++i;
    }
    return true;
  }

  // ---- system ----------------------------------------------------------------------------

  // A string or text blocks; appended to `out` (blocks joined with "\n").
  bool text_or_blocks(od::value &v, const std::string &path, std::string &out, bool system) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t == json_type::string) {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return syntax(e);
      append_text(out, s);
      return true;
    }
    if (t != json_type::array)
      return fail(field_error(path, "Input should be a valid string or a list of text blocks",
                              "invalid_type"));
    return each_element(v, path, [&](size_t i, od::value &bv) {
      std::string bp = path + "." + std::to_string(i);
      std::string type, text;
      bool has_type = false, has_text = false;
      if (!each_field(bv, bp, [&](std::string_view key, od::value &fv) {
            if (key == "type") return opt_string(fv, bp + ".type", type, &has_type);
            if (key == "text") return opt_string(fv, bp + ".text", text, &has_text);
            return true; // cache_control, citations: ignored
          }))
        return false;
      if (!has_type) return fail(missing(bp + ".type"));
      if (type != "text") return fail(bad_value(bp + ".type", "Input should be 'text'"));
      if (!has_text) return fail(missing(bp + ".text"));
      // Claude Code's first system block changes on every request (a billing fingerprint):
      // it says nothing to the model.
      if (system && text.rfind("x-anthropic-billing-header:", 0) == 0) return true;
      append_text(out, text);
      return true;
    });
  }

  // ---- messages --------------------------------------------------------------------------

  bool messages(od::value &v) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return fail(missing("messages"));
    size_t count = 0;
    if (!each_element(v, "messages", [&](size_t i, od::value &mv) {
          if (++count > kMaxMessages)
            return fail(bad_value("messages", "List should have at most " +
                                                  std::to_string(kMaxMessages) + " items"));
          return message(mv, i);
        }))
      return false;
    if (count == 0) return fail(bad_value("messages", "List should have at least 1 item"));
    return true;
  }

  bool message(od::value &v, size_t i) {
    std::string mp = "messages." + std::to_string(i);
    std::string role;
    bool has_role = false, has_content = false;
    std::vector<Block> blocks;
    std::string plain;              // content given as a string
    bool content_is_string = false; // (a string is the turn's whole text)
    if (!each_field(v, mp, [&](std::string_view key, od::value &fv) {
          if (key == "role") return opt_string(fv, mp + ".role", role, &has_role);
          if (key == "content") {
            has_content = true;
            return content(fv, mp + ".content", blocks, plain, content_is_string);
          }
          return true;
        }))
      return false;
    if (!has_role) return fail(missing(mp + ".role"));
    if (!has_content) return fail(missing(mp + ".content"));
    if (role != "user" && role != "assistant" && role != "system")
      return fail(bad_value(mp + ".role", "Input should be 'user' or 'assistant'"));

    if (role == "system") { // folded into the system text
      std::string text = plain;
      for (size_t j = 0; j < blocks.size(); ++j) {
        const Block &b = blocks[j];
        if (b.type != "text")
          return fail(bad_value(mp + ".content." + std::to_string(j) + ".type",
                                "system messages take text blocks only"));
        append_text(text, b.text);
      }
      append_text(system_text, text, "\n\n");
      return true;
    }

    auto &turns = req.conversation.turns;
    answer::Turn turn;
    turn.role = role;
    turn.text = plain;
    bool had_results = false;
    for (size_t j = 0; j < blocks.size(); ++j) {
      Block &b = blocks[j];
      std::string bp = mp + ".content." + std::to_string(j);
      if (b.type == "text") {
        append_text(turn.text, b.text);
      } else if (b.type == "image") {
        if (role != "user")
          return fail(bad_value(bp + ".type", "image blocks are only allowed in user messages"));
        answer::ContentImage img;
        if (!image_url(b, bp, img)) return false;
        turn.images.push_back(std::move(img));
      } else if (b.type == "tool_use") {
        if (role != "assistant")
          return fail(bad_value(bp + ".type", "tool_use blocks are only allowed in assistant "
                                              "messages"));
        if (b.id.empty()) return fail(missing(bp + ".id"));
        if (b.name.empty()) return fail(missing(bp + ".name"));
        if (!b.has_input) return fail(missing(bp + ".input"));
        turn.tool_calls.push_back({b.id, b.name, b.input});
      } else if (b.type == "tool_result") {
        if (role != "user")
          return fail(bad_value(bp + ".type", "tool_result blocks are only allowed in user "
                                              "messages"));
        if (b.tool_use_id.empty()) return fail(missing(bp + ".tool_use_id"));
        had_results = true;
        answer::Turn tool;
        tool.role = "tool";
        tool.tool_call_id = b.tool_use_id;
        std::string text = b.content_text.value_or("");
        tool.text = b.is_error ? "[error] " + text : text;
        // A result's images go with the user turn that carries it (the prompt takes images
        // from user turns).
        for (auto &img : b.content_images) turn.images.push_back(std::move(img));
        turns.push_back(std::move(tool));
      } else if (b.type == "thinking") {
        if (role != "assistant")
          return fail(bad_value(bp + ".type", "thinking blocks are only allowed in assistant "
                                              "messages"));
        if (!b.has_thinking) return fail(missing(bp + ".thinking"));
        if (!b.has_signature) return fail(missing(bp + ".signature"));
        req.sent_thinking.push_back({std::move(b.thinking), std::move(b.signature), bp});
      } else if (b.type == "redacted_thinking" || b.type == "server_tool_use" ||
                 b.type == "web_search_tool_result") {
        // Echoed history of server-side steps: nothing for the prompt.
      } else if (omitted_kind(b.type)) {
        append_text(turn.text, omitted(b.type));
      } else {
        return fail(bad_value(bp + ".type", "Input tag '" + b.type +
                                                "' does not match any of the expected tags: "
                                                "'text', 'image', 'tool_use', 'tool_result', "
                                                "'thinking', 'redacted_thinking'"));
      }
    }
    // A user turn that only carried tool results and says nothing itself adds no turn.
    if (role == "assistant" || !had_results || !turn.text.empty() || !turn.images.empty())
      turns.push_back(std::move(turn));
    return true;
  }

  bool content(od::value &v, const std::string &path, std::vector<Block> &blocks,
               std::string &plain, bool &is_string) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::string) {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return syntax(e);
      if (!blank(s)) plain.assign(s);
      is_string = true;
      return true;
    }
    if (t != json_type::array)
      return fail(field_error(path, "Input should be a valid string or a list of content blocks",
                              "invalid_type"));
    return each_element(v, path, [&](size_t j, od::value &bv) {
      blocks.emplace_back();
      return block(bv, path + "." + std::to_string(j), blocks.back());
    });
  }

  bool block(od::value &v, const std::string &bp, Block &b) {
    if (!each_field(v, bp, [&](std::string_view key, od::value &fv) {
          if (key == "type") {
            json_type t;
            if (!type_of(fv, t)) return false;
            if (t != json_type::string) return fail(wrong_type(bp + ".type", json_type::string));
            return opt_string(fv, bp + ".type", b.type, &b.has_type);
          }
          if (key == "text") return opt_string(fv, bp + ".text", b.text, &b.has_text);
          if (key == "thinking")
            return opt_string(fv, bp + ".thinking", b.thinking, &b.has_thinking);
          if (key == "signature")
            return opt_string(fv, bp + ".signature", b.signature, &b.has_signature);
          if (key == "id") return opt_string(fv, bp + ".id", b.id);
          if (key == "name") return opt_string(fv, bp + ".name", b.name);
          if (key == "tool_use_id") return opt_string(fv, bp + ".tool_use_id", b.tool_use_id);
          if (key == "is_error") return opt_bool(fv, bp + ".is_error", b.is_error);
          if (key == "input") {
            json_type t;
            if (!type_of(fv, t)) return false;
            if (t != json_type::object) return fail(wrong_type(bp + ".input", json_type::object));
            std::string_view raw;
            if (auto e = fv.raw_json().get(raw)) return syntax(e);
            b.input = trim_json(raw);
            b.has_input = true;
            return true;
          }
          if (key == "source") {
            b.has_source = true;
            return source(fv, bp + ".source", b);
          }
          if (key == "content") return result_content(fv, bp + ".content", b);
          return true; // cache_control, citations, …
        }))
      return false;
    if (!b.has_type) return fail(missing(bp + ".type"));
    if (b.type == "text" && !b.has_text) return fail(missing(bp + ".text"));
    return true;
  }

  bool source(od::value &v, const std::string &sp, Block &b) {
    return each_field(v, sp, [&](std::string_view key, od::value &fv) {
      if (key == "type") return opt_string(fv, sp + ".type", b.source_type);
      if (key == "media_type")
        return opt_string(fv, sp + ".media_type", b.media_type, &b.has_media_type);
      if (key == "data") return opt_string(fv, sp + ".data", b.data, &b.has_data);
      if (key == "url") return opt_string(fv, sp + ".url", b.url, &b.has_url);
      return true;
    });
  }

  bool image_url(const Block &b, const std::string &bp, answer::ContentImage &img) {
    std::string sp = bp + ".source";
    if (!b.has_source) return fail(missing(sp));
    img.param = sp;
    if (b.source_type == "base64") {
      if (!b.has_media_type) return fail(missing(sp + ".media_type"));
      if (b.media_type != "image/jpeg" && b.media_type != "image/png" &&
          b.media_type != "image/gif" && b.media_type != "image/webp")
        return fail(bad_value(sp + ".media_type", "Input should be 'image/jpeg', 'image/png', "
                                                  "'image/gif' or 'image/webp'"));
      if (!b.has_data || b.data.empty()) return fail(missing(sp + ".data"));
      img.url = "data:" + b.media_type + ";base64," + b.data;
      return true;
    }
    if (b.source_type == "url") {
      if (!b.has_url || b.url.empty()) return fail(missing(sp + ".url"));
      if (!text::is_http_url(b.url))
        return fail(bad_value(sp + ".url", "expected an https:// or http:// URL"));
      img.url = b.url;
      return true;
    }
    if (b.source_type.empty()) return fail(missing(sp + ".type"));
    if (b.source_type == "file")
      return fail(field_error(sp + ".type",
                              "file sources are not supported by this gateway; send the image "
                              "as base64 or a URL",
                              "unsupported_parameter"));
    return fail(bad_value(sp + ".type", "Input tag '" + b.source_type +
                                            "' does not match any of the expected tags: "
                                            "'base64', 'url'"));
  }

  // tool_result content: a string or text/image blocks.
  bool result_content(od::value &v, const std::string &cp, Block &b) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    std::string text;
    if (t == json_type::string) {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return syntax(e);
      b.content_text.emplace(s);
      return true;
    }
    if (t != json_type::array)
      return fail(field_error(cp, "Input should be a valid string or a list of content blocks",
                              "invalid_type"));
    if (!each_element(v, cp, [&](size_t k, od::value &iv) {
          Block inner;
          std::string ip = cp + "." + std::to_string(k);
          if (!block(iv, ip, inner)) return false;
          if (inner.type == "text") {
            append_text(text, inner.text);
          } else if (inner.type == "image") {
            answer::ContentImage img;
            if (!image_url(inner, ip, img)) return false;
            b.content_images.push_back(std::move(img));
          } else if (omitted_kind(inner.type)) {
            append_text(text, omitted(inner.type));
          } else {
            return fail(bad_value(ip + ".type", "Input tag '" + inner.type +
                                                    "' does not match any of the expected "
                                                    "tags: 'text', 'image'"));
          }
          return true;
        }))
      return false;
    b.content_text = std::move(text);
    return true;
  }

  // ---- thinking, metadata, stop_sequences, tools -------------------------------------------

  bool thinking(od::value &v) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    std::string type;
    bool has_type = false, has_budget = false;
    long long budget = 0;
    if (!each_field(v, "thinking", [&](std::string_view key, od::value &fv) {
          if (key == "type") return opt_string(fv, "thinking.type", type, &has_type);
          if (key == "budget_tokens")
            return opt_int(fv, "thinking.budget_tokens", budget, has_budget);
          return true;
        }))
      return false;
    if (!has_type) return fail(missing("thinking.type"));
    if (type == "enabled") {
      if (!has_budget) return fail(missing("thinking.enabled.budget_tokens"));
      if (budget < 1024)
        return fail(bad_value("thinking.enabled.budget_tokens",
                              "Input should be greater than or equal to 1024"));
      req.thinking = Thinking::Enabled;
      req.budget_tokens = budget;
    } else if (type == "disabled") {
      req.thinking = Thinking::Disabled;
    } else if (type == "adaptive") {
      req.thinking = Thinking::Adaptive;
    } else {
      return fail(bad_value("thinking.type", "Input tag '" + type +
                                                 "' does not match any of the expected tags: "
                                                 "'enabled', 'disabled', 'adaptive'"));
    }
    return true;
  }

  bool metadata(od::value &v) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    return each_field(v, "metadata", [&](std::string_view key, od::value &fv) {
      if (key == "user_id") return opt_string(fv, "metadata.user_id", req.user_id);
      return true;
    });
  }

  bool stop_sequences(od::value &v) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    return each_element(v, "stop_sequences", [&](size_t i, od::value &sv) {
      std::string path = "stop_sequences." + std::to_string(i);
      json_type st;
      if (!type_of(sv, st)) return false;
      if (st != json_type::string) return fail(wrong_type(path, json_type::string));
      std::string s;
      if (!opt_string(sv, path, s)) return false;
      if (s.empty()) return true; // matches nothing
      if (req.stop_sequences.size() >= kMaxStopSequences)
        return fail(bad_value("stop_sequences", "List should have at most " +
                                                    std::to_string(kMaxStopSequences) + " items"));
      req.stop_sequences.push_back(std::move(s));
      return true;
    });
  }

  // tools / tool_choice: read by tools/catalogue.h from the raw JSON. Server tools count in
  // `req.tools` but are not offered.
  bool tools(od::value &v) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::array) return fail(wrong_type("tools", json_type::array));
    std::string_view raw;
    if (auto e = v.raw_json().get(raw)) return fail(bad_json(e));
    if (auto p = tools::read_tools(raw, tools::Api::Messages, "tools", req.conversation.tools))
      return fail(field_error(p->param, p->message, p->code.c_str()));
    auto parsed = parse_json(raw);
    req.tools = parsed && parsed->is_array() ? parsed->size() : 0;
    if (parsed && parsed->is_array())
      for (const auto &t : *parsed)
        if (t.is_object() && !str_or(t, "type").empty() && str_or(t, "type") != "custom")
          server_tools.push_back(str_or(t, "name"));
    return true;
  }

  bool tool_choice(od::value &v) {
    std::string_view raw;
    if (auto e = v.raw_json().get(raw)) return fail(bad_json(e));
    if (auto p = tools::read_tool_choice(raw, tools::Api::Messages, "tool_choice",
                                         req.conversation.tool_choice,
                                         req.conversation.parallel_tool_calls))
      return fail(field_error(p->param, p->message, p->code.c_str()));
    return true;
  }
};

} // namespace

ApiResult<MessagesRequest> parse_messages_request(std::string_view body,
                                                  MessagesEndpoint endpoint) {
  if (blank(body))
    return invalid_request("The request body is empty; send a JSON object.", {}, "invalid_json");
  simdjson::padded_string padded(body);
  od::parser parser;
  od::document doc;
  if (auto e = parser.iterate(padded).get(doc)) return bad_json(e);
  json_type t;
  if (auto e = doc.type().get(t)) return bad_json(e);
  if (t != json_type::object)
    return invalid_request("The request body must be a JSON object.", {}, "invalid_json");
  od::object obj;
  if (auto e = doc.get_object().get(obj)) return bad_json(e);

  MessagesRequest req;
  Reader r(req);
  std::string system;
  bool has_messages = false, has_max_tokens = false;
  for (auto field : obj) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return bad_json(e);
    od::value v;
    if (auto e = field.value().get(v)) return bad_json(e);
    bool ok = true;
    if (key == "model") {
      ok = r.opt_string(v, "model", req.model);
    } else if (key == "messages") {
      has_messages = true;
      ok = r.messages(v);
    } else if (key == "system") {
      ok = r.text_or_blocks(v, "system", system, true);
    } else if (key == "max_tokens") {
      ok = r.opt_int(v, "max_tokens", req.max_tokens, has_max_tokens);
      if (ok && has_max_tokens && req.max_tokens < 1)
        ok = r.fail(bad_value("max_tokens", "Input should be greater than or equal to 1"));
    } else if (key == "stream") {
      ok = r.opt_bool(v, "stream", req.stream);
    } else if (key == "stop_sequences") {
      ok = r.stop_sequences(v);
    } else if (key == "thinking") {
      ok = r.thinking(v);
    } else if (key == "metadata") {
      ok = r.metadata(v);
    } else if (key == "tools") {
      ok = r.tools(v);
    } else if (key == "tool_choice") {
      ok = r.tool_choice(v);
    }
    // temperature, top_p, top_k, service_tier, output_config, … accepted.
    if (!ok) return std::move(*r.err);
  }
  if (!doc.at_end()) return bad_json(simdjson::TRAILING_CONTENT);

  if (req.model.empty()) return missing("model");
  if (!has_messages) return missing("messages");
  if (endpoint == MessagesEndpoint::Create) {
    if (!has_max_tokens) return missing("max_tokens");
    if (req.thinking == Thinking::Enabled && req.budget_tokens >= req.max_tokens)
      return invalid_request("`max_tokens` must be greater than `thinking.budget_tokens`",
                             "max_tokens", "invalid_value");
  } else {
    req.stream = false;
  }
  // A choice naming a server tool (web_search, …): Grok uses it by itself, so the model chooses.
  auto &choice = req.conversation.tool_choice;
  if (choice.mode == answer::ToolChoice::Mode::Named)
    for (const auto &name : r.server_tools)
      if (name == choice.name) choice = {};
  if (auto p = tools::check_tool_choice(req.conversation, tools::Api::Messages))
    return field_error(p->param, p->message, p->code.c_str());
  append_text(system, r.system_text, "\n\n");
  if (!system.empty()) {
    answer::Turn sys;
    sys.role = "system";
    sys.text = std::move(system);
    req.conversation.turns.insert(req.conversation.turns.begin(), std::move(sys));
  }
  return req;
}

} // namespace g2a::anthropic
