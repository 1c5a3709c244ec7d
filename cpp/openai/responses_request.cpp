// Responses request parsing with simdjson On-Demand: fields are visited once, in document order;
// fields we do not read are skipped without being materialised (On-Demand checks their structure
// and UTF-8, not their scalars).
#include "openai/responses_request.h"
#include "core/text.h"

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
    return elements_of(arr, [&](long i, od::value &iv) {
      if (static_cast<size_t>(i) >= kMaxInputItems)
        return fail(bad_value_param("input", "array too long. Expected an array with maximum "
                                             "length " +
                                                 std::to_string(kMaxInputItems) + "."));
      return item(iv, i, out);
    });
  }

  bool item(od::value &v, long i, std::vector<Turn> &out) {
    Param p{.item = i};
    ItemFields f;
    if (!fields(v, p, [&](std::string_view key, od::value &fv) {
          if (key == "type") return opt_string(fv, p.with("type"), f.type);
          if (key == "role") return f.has_role = true, opt_string(fv, p.with("role"), f.role);
          if (key == "content") return content(fv, p, f);
          if (key == "call_id")
            return f.has_call_id = true, opt_string(fv, p.with("call_id"), f.call_id);
          if (key == "name") return f.has_name = true, opt_string(fv, p.with("name"), f.name);
          if (key == "arguments" || key == "input")
            return arguments(fv, p.with(key == "input" ? "input" : "arguments"), f.arguments);
          if (key == "output") return f.has_output = true, tool_output(fv, p, f.output_text);
          return true; // id, status, summary, encrypted_content, …: accepted, ignored
        }))
      return false;
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
    return elements_of(arr, [&](long j, od::value &pv) {
      Param pp = ip;
      pp.part = j;
      size_t images_before = f.message.images.size();
      if (!part(pv, pp, f.message)) return false;
      if (f.message.images.size() > images_before && f.first_image_part < 0) f.first_image_part = j;
      return true;
    });
  }

  bool part(od::value &v, const Param &p, Turn &m) {
    std::string type, text, refusal, file_id;
    bool has_type = false, has_text = false;
    ContentImage img;
    if (!fields(v, p, [&](std::string_view key, od::value &fv) {
          if (key == "type") {
            json_type t;
            if (!type_of(fv, t)) return false;
            if (t != json_type::string)
              return fail(wrong_type_param(p.with("type").str(), "a string", t));
            has_type = true;
            return opt_string(fv, p.with("type"), type);
          }
          if (key == "text") return has_text = true, opt_string(fv, p.with("text"), text);
          if (key == "refusal") return opt_string(fv, p.with("refusal"), refusal);
          if (key == "image_url") return opt_string(fv, p.with("image_url"), img.url);
          if (key == "detail") return opt_string(fv, p.with("detail"), img.detail);
          if (key == "file_id") return opt_string(fv, p.with("file_id"), file_id);
          return true;
        }))
      return false;
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
      if (!text::is_http_url(img.url) && !text::istarts_with(img.url, "data:image/"))
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
    return elements_of(arr, [&](long j, od::value &pv) {
      Param pp = ip;
      pp.list = "output";
      pp.part = j;
      Turn scratch;
      if (!part(pv, pp, scratch)) return false;
      append_text(out, scratch.text); // images in a tool's output are not forwarded
      return true;
    });
  }

  // ---- top-level objects ---------------------------------------------------------------

  bool text(od::value &v, ResponsesRequest &req) {
    return opt_fields(v, "text", [&](std::string_view key, od::value &fv) {
      if (key != "format") return true;
      std::string raw;
      if (!output_format(fv, tools::Api::Responses, "text.format", raw, req.format)) return false;
      if (req.format.type != answer::OutputFormat::Type::Text) req.format_json = raw;
      return true;
    });
  }

  bool reasoning(od::value &v, ResponsesRequest &req) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (!fields(v, "reasoning", [&](std::string_view key, od::value &fv) {
          if (key == "effort") return opt_string(fv, "reasoning.effort", req.reasoning_effort);
          if (key == "summary") return opt_string(fv, "reasoning.summary", req.reasoning_summary);
          if (key == "generate_summary" && req.reasoning_summary.empty()) // deprecated alias
            return opt_string(fv, "reasoning.generate_summary", req.reasoning_summary);
          return true;
        }))
      return false;
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
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t == json_type::object) req.metadata.clear();
    return fields(v, "metadata", [&](std::string_view key, od::value &fv) {
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
      return true;
    });
  }
};

} // namespace

ApiResult<ResponsesRequest> parse_responses_request(std::string_view body) {
  Reader r;
  ResponsesRequest req;
  bool has_input = false;
  auto err = read_body(body, r, [&](std::string_view key, od::value &v) {
    if (key == "model") return r.opt_string(v, "model", req.model);
    if (key == "input") return has_input = true, r.input(v, req.input);
    if (key == "instructions") {
      json_type t;
      if (!r.type_of(v, t)) return false;
      if (t == json_type::null) return true;
      req.has_instructions = r.opt_string(v, "instructions", req.instructions);
      return req.has_instructions;
    }
    if (key == "stream") return r.opt_bool(v, "stream", req.stream);
    if (key == "store") return r.opt_bool(v, "store", req.store);
    if (key == "max_output_tokens") {
      bool set = false;
      return r.opt_positive(v, "max_output_tokens", req.max_output_tokens, set);
    }
    if (key == "metadata") return r.metadata(v, req);
    if (key == "reasoning") return r.reasoning(v, req);
    if (key == "text") return r.text(v, req);
    if (key == "previous_response_id")
      return r.opt_string(v, "previous_response_id", req.previous_response_id);
    if (key == "temperature")
      return r.opt_number(v, "temperature", req.temperature, req.has_temperature);
    if (key == "top_p") return r.opt_number(v, "top_p", req.top_p, req.has_top_p);
    if (key == "user") return r.opt_string(v, "user", req.user);
    if (key == "tools")
      return r.tools(v, tools::Api::Responses, "tools", req.tools_json, req.tools);
    if (key == "tool_choice") {
      bool parallel = true;
      return r.tool_choice(v, tools::Api::Responses, "tool_choice", req.tool_choice_json,
                           req.tool_choice, parallel);
    }
    if (key == "parallel_tool_calls")
      return r.opt_bool(v, "parallel_tool_calls", req.parallel_tool_calls);
    if (key == "background") {
      bool background = false;
      if (!r.opt_bool(v, "background", background)) return false;
      return !background ||
             r.fail(bad_value_param("background",
                                    "background responses are not supported by this gateway.",
                                    "unsupported_parameter"));
    }
    if (key == "conversation") {
      json_type t;
      if (!r.type_of(v, t)) return false;
      return t == json_type::null ||
             r.fail(bad_value_param("conversation",
                                    "conversations are not supported by this gateway; continue "
                                    "with previous_response_id.",
                                    "unsupported_parameter"));
    }
    return true;
  });
  if (err) return std::move(*err);

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
