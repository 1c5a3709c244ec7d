// Responses request parsing with simdjson On-Demand: fields are visited once, in document order;
// fields we do not read are skipped without being materialised (On-Demand checks their structure
// and UTF-8, not their scalars).
#include "openai/responses_request.h"

#include "openai/param_reader.h"

namespace g2a::openai {
namespace {

using answer::ContentImage;
using answer::ToolCall;
using answer::Turn;

// Where a parameter lives, rendered only when an error names it: "model", "text.format",
// "input[3].role", "input[0].content[1].image_url", "input[2].output[0].text".
struct Param {
  long item = -1;
  long part = -1;
  const char *list = "content"; // the item's list that `part` indexes
  const char *field = "";

  std::string str() const {
    if (item < 0) return field;
    std::string s = "input[" + std::to_string(item) + "]";
    if (part >= 0) s += std::string(".") + list + "[" + std::to_string(part) + "]";
    if (*field) s += std::string(".") + field;
    return s;
  }
  Param with(const char *f) const {
    Param p = *this;
    p.field = f;
    return p;
  }
};

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

void append_text(std::string &text, std::string_view s) {
  if (is_blank(s)) return; // blank parts are dropped
  if (!text.empty()) text += '\n';
  text += s;
}

// The fields of one input item, remembered in any order and judged once `type` is known.
struct ItemFields {
  std::string type, role, call_id, name, arguments, output_text;
  bool has_role = false, has_call_id = false, has_name = false, has_output = false;
  Turn message; // text and images of a message's content
  long first_image_part = -1;
};

class Reader : public ParamReader {
public:
  // ---- input -----------------------------------------------------------------------------

  bool input(od::value &v, std::vector<Turn> &out) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return fail(missing_param("input"));
    if (t == json_type::string) {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return syntax(e);
      Turn turn;
      turn.role = "user";
      turn.text.assign(s);
      out.push_back(std::move(turn));
      return true;
    }
    if (t != json_type::array) return fail(wrong_type_param("input", "a string or an array", t));
    od::array arr;
    if (auto e = v.get_array().get(arr)) return syntax(e);
    long i = 0;
    for (auto el : arr) {
      od::value iv;
      if (auto e = el.get(iv)) return syntax(e);
      if (static_cast<size_t>(i) >= kMaxInputItems)
        return fail(bad_value_param("input", "array too long. Expected an array with maximum "
                                             "length " +
                                                 std::to_string(kMaxInputItems) + "."));
      if (!item(iv, i++, out)) return false;
    }
    return true;
  }

  bool item(od::value &v, long i, std::vector<Turn> &out) {
    Param p{.item = i};
    json_type t;
    if (!type_of(v, t)) return false;
    if (t != json_type::object) return fail(wrong_type_param(p.str(), "an object", t));
    od::object obj;
    if (auto e = v.get_object().get(obj)) return syntax(e);
    ItemFields f;
    for (auto field : obj) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return syntax(e);
      od::value fv;
      if (auto e = field.value().get(fv)) return syntax(e);
      bool ok = true;
      if (key == "type") {
        ok = opt_string(fv, p.with("type"), f.type);
      } else if (key == "role") {
        ok = opt_string(fv, p.with("role"), f.role);
        f.has_role = true;
      } else if (key == "content") {
        ok = content(fv, p, f);
      } else if (key == "call_id") {
        ok = opt_string(fv, p.with("call_id"), f.call_id);
        f.has_call_id = true;
      } else if (key == "name") {
        ok = opt_string(fv, p.with("name"), f.name);
        f.has_name = true;
      } else if (key == "arguments" || key == "input") {
        ok = arguments(fv, p.with(key == "input" ? "input" : "arguments"), f.arguments);
      } else if (key == "output") {
        ok = tool_output(fv, p, f.output_text);
        f.has_output = true;
      }
      // id, status, summary, encrypted_content, … : accepted, ignored.
      if (!ok) return false;
    }
    if (f.type.empty() || f.type == "message") return message(p, f, out);
    if (f.type == "function_call" || f.type == "custom_tool_call") {
      if (!f.has_call_id || f.call_id.empty()) return fail(missing_param(p.with("call_id").str()));
      if (!f.has_name || f.name.empty()) return fail(missing_param(p.with("name").str()));
      // Calls join the assistant turn they follow (parallel calls arrive as several items).
      if (out.empty() || out.back().role != "assistant") {
        out.emplace_back();
        out.back().role = "assistant";
      }
      out.back().tool_calls.push_back(ToolCall{f.call_id, f.name, f.arguments});
      return true;
    }
    if (f.type == "function_call_output" || f.type == "custom_tool_call_output") {
      if (!f.has_call_id || f.call_id.empty()) return fail(missing_param(p.with("call_id").str()));
      if (!f.has_output) return fail(missing_param(p.with("output").str()));
      Turn turn;
      turn.role = "tool";
      turn.tool_call_id = f.call_id;
      turn.text = std::move(f.output_text);
      out.push_back(std::move(turn));
      return true;
    }
    if (f.type == "reasoning" || f.type == "item_reference" || f.type == "web_search_call")
      return true; // replayed context this gateway has no use for
    if (f.type == "input_file" || f.type == "file_search_call" || f.type == "computer_call" ||
        f.type == "computer_call_output" || f.type == "image_generation_call" ||
        f.type == "code_interpreter_call" || f.type == "local_shell_call" ||
        f.type == "local_shell_call_output" || f.type == "mcp_call" || f.type == "mcp_list_tools" ||
        f.type == "mcp_approval_request" || f.type == "mcp_approval_response")
      return fail(
          bad_value_param(p.with("type").str(),
                          "input items of type '" + f.type + "' are not supported by this gateway.",
                          "unsupported_parameter"));
    return fail(bad_value_param(p.with("type").str(),
                                "'" + f.type +
                                    "' is not a supported input item type; expected 'message', "
                                    "'function_call' or 'function_call_output'."));
  }

  bool message(const Param &p, ItemFields &f, std::vector<Turn> &out) {
    if (!f.has_role || f.role.empty()) return fail(missing_param(p.with("role").str()));
    if (f.role != "user" && f.role != "assistant" && f.role != "system" && f.role != "developer")
      return fail(bad_value_param(p.with("role").str(),
                                  "'" + f.role +
                                      "' is not one of 'user', 'assistant', 'system', "
                                      "'developer'."));
    if (f.first_image_part >= 0 && f.role != "user") {
      Param ip = p;
      ip.part = f.first_image_part;
      return fail(bad_value_param(ip.str(), "image content is only allowed in user messages, "
                                            "but this message has role '" +
                                                f.role + "'."));
    }
    f.message.role = f.role;
    out.push_back(std::move(f.message));
    return true;
  }

  bool content(od::value &v, const Param &ip, ItemFields &f) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t == json_type::string) {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return syntax(e);
      f.message.text.assign(s);
      return true;
    }
    if (t != json_type::array)
      return fail(
          wrong_type_param(ip.with("content").str(), "a string or an array of content parts", t));
    od::array arr;
    if (auto e = v.get_array().get(arr)) return syntax(e);
    long j = 0;
    for (auto el : arr) {
      od::value pv;
      if (auto e = el.get(pv)) return syntax(e);
      Param pp = ip;
      pp.part = j;
      size_t images_before = f.message.images.size();
      if (!part(pv, pp, f.message)) return false;
      if (f.message.images.size() > images_before && f.first_image_part < 0) f.first_image_part = j;
      ++j;
    }
    return true;
  }

  bool part(od::value &v, const Param &p, Turn &m) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t != json_type::object) return fail(wrong_type_param(p.str(), "an object", t));
    od::object obj;
    if (auto e = v.get_object().get(obj)) return syntax(e);
    std::string type, text, refusal, file_id;
    bool has_type = false, has_text = false;
    ContentImage img;
    for (auto field : obj) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return syntax(e);
      od::value fv;
      if (auto e = field.value().get(fv)) return syntax(e);
      bool ok = true;
      if (key == "type") {
        if (!type_of(fv, t)) return false;
        if (t != json_type::string)
          return fail(wrong_type_param(p.with("type").str(), "a string", t));
        ok = opt_string(fv, p.with("type"), type);
        has_type = true;
      } else if (key == "text") {
        ok = opt_string(fv, p.with("text"), text);
        has_text = true;
      } else if (key == "refusal") {
        ok = opt_string(fv, p.with("refusal"), refusal);
      } else if (key == "image_url") {
        ok = opt_string(fv, p.with("image_url"), img.url);
      } else if (key == "detail") {
        ok = opt_string(fv, p.with("detail"), img.detail);
      } else if (key == "file_id") {
        ok = opt_string(fv, p.with("file_id"), file_id);
      }
      if (!ok) return false;
    }
    if (!has_type) return fail(missing_param(p.with("type").str()));
    if (type == "input_text" || type == "output_text" || type == "text" || type == "summary_text" ||
        type == "reasoning_text") {
      if (!has_text) return fail(missing_param(p.with("text").str()));
      if (type == "summary_text" || type == "reasoning_text") return true; // not answer text
      append_text(m.text, text);
      return true;
    }
    if (type == "refusal") {
      append_text(m.text, refusal);
      return true;
    }
    if (type == "input_image") {
      if (img.url.empty() && !file_id.empty())
        return fail(bad_value_param(p.with("file_id").str(),
                                    "file ids are not supported by this gateway; send the image "
                                    "as an image_url (https:// or a data:image/... URI).",
                                    "unsupported_parameter"));
      if (img.url.empty()) return fail(missing_param(p.with("image_url").str()));
      if (!has_prefix_nocase(img.url, "https://") && !has_prefix_nocase(img.url, "http://") &&
          !has_prefix_nocase(img.url, "data:image/"))
        return fail(bad_value_param(p.with("image_url").str(),
                                    "expected an https:// or http:// URL or a data:image/... "
                                    "URI."));
      m.images.push_back(std::move(img));
      return true;
    }
    if (type == "input_file" || type == "input_audio")
      return fail(bad_value_param(p.with("type").str(),
                                  "content parts of type '" + type +
                                      "' are not supported by this gateway; send input_text and "
                                      "input_image parts.",
                                  "unsupported_parameter"));
    return fail(bad_value_param(p.with("type").str(),
                                "'" + type +
                                    "' is not a supported content part type; expected "
                                    "'input_text' or 'input_image'."));
  }

  // Function arguments (custom tool input): a string, or an object sent unencoded.
  bool arguments(od::value &v, const Param &p, std::string &out) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t == json_type::string) return opt_string(v, p, out);
    return raw_text(v, out);
  }

  // A tool's output: a string, or a list of parts whose text is kept.
  bool tool_output(od::value &v, const Param &ip, std::string &out) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t == json_type::string) return opt_string(v, ip.with("output"), out);
    if (t != json_type::array)
      return fail(wrong_type_param(ip.with("output").str(), "a string or an array", t));
    od::array arr;
    if (auto e = v.get_array().get(arr)) return syntax(e);
    long j = 0;
    for (auto el : arr) {
      od::value pv;
      if (auto e = el.get(pv)) return syntax(e);
      Param pp = ip;
      pp.list = "output";
      pp.part = j++;
      Turn scratch;
      if (!part(pv, pp, scratch)) return false;
      append_text(out, scratch.text); // images in a tool's output are not forwarded
    }
    return true;
  }

  // ---- top-level objects ---------------------------------------------------------------

  bool text(od::value &v, ResponsesRequest &req) {
    od::object obj;
    bool present = false;
    if (!opt_object(v, Named{"text"}, obj, present) || !present) return !err;
    for (auto field : obj) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return syntax(e);
      od::value fv;
      if (auto e = field.value().get(fv)) return syntax(e);
      if (key != "format") continue;
      std::string raw;
      if (!raw_text(fv, raw)) return false;
      if (auto p = tools::read_output_format(raw, tools::Api::Responses, "text.format", req.format))
        return fail(tool_problem(*p));
      if (req.format.type != answer::OutputFormat::Type::Text) req.format_json = raw;
    }
    return true;
  }

  bool reasoning(od::value &v, ResponsesRequest &req) {
    od::object obj;
    bool present = false;
    if (!opt_object(v, Named{"reasoning"}, obj, present) || !present) return !err;
    for (auto field : obj) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return syntax(e);
      od::value fv;
      if (auto e = field.value().get(fv)) return syntax(e);
      bool ok = true;
      if (key == "effort")
        ok = opt_string(fv, Named{"reasoning.effort"}, req.reasoning_effort);
      else if (key == "summary")
        ok = opt_string(fv, Named{"reasoning.summary"}, req.reasoning_summary);
      else if (key == "generate_summary" && req.reasoning_summary.empty()) // deprecated alias
        ok = opt_string(fv, Named{"reasoning.generate_summary"}, req.reasoning_summary);
      if (!ok) return false;
    }
    static constexpr std::string_view summaries[] = {"", "auto", "concise", "detailed"};
    bool known = false;
    for (auto s : summaries) known = known || req.reasoning_summary == s;
    if (!known)
      return fail(bad_value_param("reasoning.summary",
                                  "'" + req.reasoning_summary +
                                      "' is not one of 'auto', 'concise', 'detailed'."));
    return true;
  }

  bool metadata(od::value &v, ResponsesRequest &req) {
    od::object obj;
    bool present = false;
    if (!opt_object(v, Named{"metadata"}, obj, present) || !present) return !err;
    req.metadata.clear();
    for (auto field : obj) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return syntax(e);
      od::value fv;
      if (auto e = field.value().get(fv)) return syntax(e);
      std::string name = "metadata." + std::string(key);
      if (req.metadata.size() >= kMaxMetadataPairs)
        return fail(bad_value_param("metadata", "too many keys. Expected at most " +
                                                    std::to_string(kMaxMetadataPairs) + "."));
      if (key.size() > kMaxMetadataKey)
        return fail(bad_value_param("metadata", "a key is longer than " +
                                                    std::to_string(kMaxMetadataKey) +
                                                    " characters."));
      json_type t;
      if (!type_of(fv, t)) return false;
      if (t != json_type::string) return fail(wrong_type_param(name, "a string", t));
      std::string value;
      if (!opt_string(fv, Named{name.c_str()}, value)) return false;
      if (value.size() > kMaxMetadataValue)
        return fail(bad_value_param(name, "string too long. Expected at most " +
                                              std::to_string(kMaxMetadataValue) + " characters."));
      for (auto &kv : req.metadata)
        if (kv.first == key) return fail(bad_value_param("metadata", "duplicate key."));
      req.metadata.emplace_back(std::string(key), std::move(value));
    }
    return true;
  }

  // tools / tool_choice: read by tools/catalogue.h from the raw JSON.
  bool tools(od::value &v, ResponsesRequest &req) {
    if (!raw_text(v, req.tools_json)) return false;
    if (auto p = tools::read_tools(req.tools_json, tools::Api::Responses, "tools", req.tools))
      return fail(tool_problem(*p));
    return true;
  }

  bool tool_choice(od::value &v, ResponsesRequest &req) {
    if (!raw_text(v, req.tool_choice_json)) return false;
    bool parallel = true;
    if (auto p = tools::read_tool_choice(req.tool_choice_json, tools::Api::Responses, "tool_choice",
                                         req.tool_choice, parallel))
      return fail(tool_problem(*p));
    return true;
  }
};

} // namespace

std::variant<ResponsesRequest, ApiError> parse_responses_request(std::string_view body) {
  simdjson::padded_string padded;
  od::parser parser;
  od::document doc;
  od::object obj;
  if (auto e = open_object(body, padded, parser, doc, obj)) return std::move(*e);

  Reader r;
  ResponsesRequest req;
  bool has_input = false;
  for (auto field : obj) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return bad_json(e);
    od::value v;
    if (auto e = field.value().get(v)) return bad_json(e);
    bool ok = true;
    if (key == "model") {
      ok = r.opt_string(v, Named{"model"}, req.model);
    } else if (key == "input") {
      ok = r.input(v, req.input);
      has_input = true;
    } else if (key == "instructions") {
      json_type t;
      ok = r.type_of(v, t);
      if (ok && t != json_type::null) {
        ok = r.opt_string(v, Named{"instructions"}, req.instructions);
        req.has_instructions = ok;
      }
    } else if (key == "stream") {
      ok = r.opt_bool(v, Named{"stream"}, req.stream);
    } else if (key == "store") {
      ok = r.opt_bool(v, Named{"store"}, req.store);
    } else if (key == "max_output_tokens") {
      bool set = false;
      long long n = -1;
      ok = r.opt_int(v, Named{"max_output_tokens"}, n, set);
      if (ok && set && n < 1)
        ok = r.fail(bad_value_param("max_output_tokens",
                                    "integer below minimum value. Expected a value >= 1."));
      if (ok && set) req.max_output_tokens = n;
    } else if (key == "metadata") {
      ok = r.metadata(v, req);
    } else if (key == "reasoning") {
      ok = r.reasoning(v, req);
    } else if (key == "text") {
      ok = r.text(v, req);
    } else if (key == "previous_response_id") {
      ok = r.opt_string(v, Named{"previous_response_id"}, req.previous_response_id);
    } else if (key == "temperature") {
      ok = r.opt_number(v, Named{"temperature"}, req.temperature, req.has_temperature);
    } else if (key == "top_p") {
      ok = r.opt_number(v, Named{"top_p"}, req.top_p, req.has_top_p);
    } else if (key == "user") {
      ok = r.opt_string(v, Named{"user"}, req.user);
    } else if (key == "tools") {
      ok = r.tools(v, req);
    } else if (key == "tool_choice") {
      ok = r.tool_choice(v, req);
    } else if (key == "parallel_tool_calls") {
      ok = r.opt_bool(v, Named{"parallel_tool_calls"}, req.parallel_tool_calls);
    } else if (key == "background") {
      bool background = false;
      ok = r.opt_bool(v, Named{"background"}, background);
      if (ok && background)
        ok = r.fail(bad_value_param("background",
                                    "background responses are not supported by this gateway.",
                                    "unsupported_parameter"));
    } else if (key == "conversation") {
      json_type t;
      ok = r.type_of(v, t);
      if (ok && t != json_type::null)
        ok = r.fail(bad_value_param("conversation",
                                    "conversations are not supported by this gateway; continue "
                                    "with previous_response_id.",
                                    "unsupported_parameter"));
    }
    if (!ok) return std::move(*r.err);
  }
  if (!doc.at_end()) return bad_json(simdjson::TRAILING_CONTENT);

  if (req.model.empty())
    return invalid_request("Missing required parameter: 'model'. Name the model to use.", "model",
                           "missing_required_parameter");
  if (!has_input) return missing_param("input");
  answer::Conversation probe;
  probe.tools = req.tools;
  probe.tool_choice = req.tool_choice;
  if (auto p = tools::check_tool_choice(probe, tools::Api::Responses)) return tool_problem(*p);
  return req;
}

answer::Conversation responses_conversation(const ResponsesRequest &req,
                                            const std::vector<answer::Turn> &history) {
  answer::Conversation conv;
  conv.turns.reserve(history.size() + req.input.size() + 1);
  if (req.has_instructions && !is_blank(req.instructions)) {
    Turn sys;
    sys.role = "system";
    sys.text = req.instructions;
    conv.turns.push_back(std::move(sys));
  }
  conv.turns.insert(conv.turns.end(), history.begin(), history.end());
  conv.turns.insert(conv.turns.end(), req.input.begin(), req.input.end());
  conv.tools = req.tools;
  conv.tool_choice = req.tool_choice;
  conv.parallel_tool_calls = req.parallel_tool_calls;
  conv.format = req.format;
  return conv;
}

} // namespace g2a::openai
