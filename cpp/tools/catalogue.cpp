// Tool catalogue and tool_choice reading (rules in catalogue.h).
#include "tools/catalogue.h"

#include "core/json.h"

namespace g2a::tools {
namespace {

using answer::ToolChoice;
using answer::ToolSpec;

std::string at(Api api, std::string_view field, size_t i, std::string_view sub = {}) {
  std::string s(field);
  s += api == Api::Messages ? "." + std::to_string(i) : "[" + std::to_string(i) + "]";
  if (!sub.empty()) s += "." + std::string(sub);
  return s;
}

std::string sub(std::string_view field, std::string_view s) {
  return std::string(field) + "." + std::string(s);
}

Problem problem(std::string param, std::string message, std::string code = "invalid_value") {
  return Problem{std::move(param), std::move(message), std::move(code)};
}

const char *type_word(const json &j) {
  if (j.is_object()) return "an object";
  if (j.is_array()) return "an array";
  if (j.is_string()) return "a string";
  if (j.is_boolean()) return "a boolean";
  if (j.is_null()) return "null";
  return "a number";
}

Problem wrong(std::string param, const char *want, const json &got) {
  return problem(std::move(param),
                 std::string("expected ") + want + ", but got " + type_word(got) + " instead.",
                 "invalid_type");
}

// Reads name/description/schema from `fn` (the function object, or the tool itself).
std::optional<Problem> read_function(const json &fn, const std::string &base, Api api,
                                     const char *schema_key, ToolSpec &t) {
  auto join = [&](const char *k) { return base.empty() ? std::string(k) : base + "." + k; };
  if (!fn.is_object()) return wrong(base, "an object", fn);
  auto name = fn.find("name");
  if (name == fn.end() || name->is_null())
    return problem(join("name"), "Missing required parameter.", "missing_required_parameter");
  if (!name->is_string()) return wrong(join("name"), "a string", *name);
  t.name = name->get<std::string>();
  if (!valid_tool_name(t.name))
    return problem(join("name"),
                   "a tool name must be 1-128 characters of letters, digits, '_', '-', '.' or "
                   "':'.");
  auto desc = fn.find("description");
  if (desc != fn.end() && !desc->is_null()) {
    if (!desc->is_string()) return wrong(join("description"), "a string", *desc);
    t.description = desc->get<std::string>();
  }
  auto schema = fn.find(schema_key);
  if (schema != fn.end() && !schema->is_null()) {
    if (!schema->is_object()) return wrong(join(schema_key), "an object", *schema);
    t.parameters = dump(*schema);
  } else if (api == Api::Messages && std::string_view(schema_key) == "input_schema") {
    return problem(join("input_schema"), "Field required", "missing_required_parameter");
  }
  return std::nullopt;
}

std::optional<Problem> read_custom(const json &c, const std::string &base, ToolSpec &t) {
  if (auto p = read_function(c, base, Api::Responses, "parameters", t)) return p;
  t.parameters.clear();
  t.freeform = true;
  auto fmt = c.find("format");
  if (fmt != c.end() && fmt->is_object()) {
    std::string type = str_or(*fmt, "type");
    if (type == "grammar") {
      std::string syntax = str_or(*fmt, "syntax");
      std::string def = str_or(*fmt, "definition");
      if (!def.empty()) t.format = (syntax.empty() ? "grammar" : syntax) + " grammar:\n" + def;
    }
  }
  return std::nullopt;
}

bool is_hosted(std::string_view type) {
  return type != "function" && type != "custom";
}

} // namespace

bool valid_tool_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

std::optional<Problem> read_tools(std::string_view raw, Api api, std::string_view field,
                                  std::vector<ToolSpec> &out) {
  auto parsed = parse_json(raw);
  if (!parsed) return problem(std::string(field), "not valid JSON.");
  const json &arr = *parsed;
  if (arr.is_null()) return std::nullopt;
  if (!arr.is_array()) return wrong(std::string(field), "an array", arr);
  for (size_t i = 0; i < arr.size(); ++i) {
    const json &el = arr[i];
    std::string base = at(api, field, i);
    if (!el.is_object()) return wrong(base, "an object", el);
    ToolSpec t;
    std::string type = str_or(el, "type");
    if (api == Api::Chat && field == "functions") {
      if (auto p = read_function(el, base, api, "parameters", t)) return p;
    } else if (api == Api::Chat) {
      if (type.empty())
        return problem(sub(base, "type"), "Missing required parameter.",
                       "missing_required_parameter");
      if (type == "function") {
        auto fn = el.find("function");
        if (fn == el.end())
          return problem(sub(base, "function"), "Missing required parameter.",
                         "missing_required_parameter");
        if (auto p = read_function(*fn, sub(base, "function"), api, "parameters", t)) return p;
      } else if (type == "custom") {
        auto c = el.find("custom");
        if (c == el.end())
          return problem(sub(base, "custom"), "Missing required parameter.",
                         "missing_required_parameter");
        if (auto p = read_custom(*c, sub(base, "custom"), t)) return p;
      } else {
        return problem(sub(base, "type"),
                       "'" + type +
                           "' is not a supported tool type; expected 'function' or "
                           "'custom'.");
      }
    } else if (api == Api::Responses) {
      if (type.empty())
        return problem(sub(base, "type"), "Missing required parameter.",
                       "missing_required_parameter");
      if (is_hosted(type)) continue; // web_search, mcp, namespace, …: not offered
      if (type == "function") {
        if (auto p = read_function(el, base, api, "parameters", t)) return p;
      } else if (auto p = read_custom(el, base, t)) {
        return p;
      }
    } else {                                           // Messages
      if (!type.empty() && type != "custom") continue; // server tools: not offered
      if (auto p = read_function(el, base, api, "input_schema", t)) return p;
    }
    for (const auto &seen : out)
      if (seen.name == t.name)
        return problem(base, "tool names must be unique; '" + t.name + "' is declared twice.");
    out.push_back(std::move(t));
  }
  return std::nullopt;
}

std::optional<Problem> read_tool_choice(std::string_view raw, Api api, std::string_view field,
                                        ToolChoice &out, bool &parallel) {
  auto parsed = parse_json(raw);
  if (!parsed) return problem(std::string(field), "not valid JSON.");
  const json &c = *parsed;
  const std::string f(field);
  using M = ToolChoice::Mode;
  if (c.is_null()) return std::nullopt;
  if (c.is_string() && api != Api::Messages) {
    std::string s = c.get<std::string>();
    if (s == "auto")
      out.mode = M::Auto;
    else if (s == "none")
      out.mode = M::None;
    else if (s == "required" && field == "tool_choice")
      out.mode = M::Required;
    else
      return problem(f, "'" + s + "' is not one of " +
                            (field == "tool_choice" ? "'none', 'auto', 'required'"
                                                    : std::string("'none', 'auto'")) +
                            " or an object naming a " +
                            (field == "tool_choice" ? "tool." : "function."));
    return std::nullopt;
  }
  if (!c.is_object()) return wrong(f, "an object", c);
  if (api == Api::Chat && field == "function_call") {
    std::string name = str_or(c, "name");
    if (name.empty())
      return problem(sub(f, "name"), "Missing required parameter.", "missing_required_parameter");
    out.mode = M::Named;
    out.name = name;
    return std::nullopt;
  }
  std::string type = str_or(c, "type");
  if (type.empty())
    return problem(sub(f, "type"), "Missing required parameter.", "missing_required_parameter");
  if (api == Api::Messages) {
    auto dp = c.find("disable_parallel_tool_use");
    if (dp != c.end() && dp->is_boolean() && dp->get<bool>()) parallel = false;
    if (type == "auto")
      out.mode = M::Auto;
    else if (type == "any")
      out.mode = M::Required;
    else if (type == "none")
      out.mode = M::None;
    else if (type == "tool") {
      std::string name = str_or(c, "name");
      if (name.empty())
        return problem(sub(f, "name"), "Field required", "missing_required_parameter");
      out.mode = M::Named;
      out.name = name;
    } else {
      return problem(sub(f, "type"), "Input tag '" + type +
                                         "' found using 'type' does not match any of the "
                                         "expected tags: 'auto', 'any', 'tool', 'none'");
    }
    return std::nullopt;
  }
  if (type == "function" || type == "custom") {
    std::string name;
    if (api == Api::Chat) {
      auto inner = c.find(type);
      if (inner != c.end()) name = str_or(*inner, "name");
      if (name.empty())
        return problem(sub(f, type + ".name"), "Missing required parameter.",
                       "missing_required_parameter");
    } else {
      name = str_or(c, "name");
      if (name.empty())
        return problem(sub(f, "name"), "Missing required parameter.", "missing_required_parameter");
    }
    out.mode = M::Named;
    out.name = name;
    return std::nullopt;
  }
  // allowed_tools, hosted tools (web_search_preview, file_search, …): the model chooses.
  out.mode = M::Auto;
  return std::nullopt;
}

std::optional<Problem> read_output_format(std::string_view raw, Api api, std::string_view field,
                                          answer::OutputFormat &out) {
  using T = answer::OutputFormat::Type;
  auto parsed = parse_json(raw);
  const std::string f(field);
  if (!parsed) return problem(f, "not valid JSON.");
  const json &j = *parsed;
  if (j.is_null()) return std::nullopt;
  if (!j.is_object()) return wrong(f, "an object", j);
  if (auto t = j.find("type"); t != j.end() && !t->is_null() && !t->is_string())
    return wrong(sub(f, "type"), "a string", *t);
  std::string type = str_or(j, "type");
  if (type.empty())
    return problem(sub(f, "type"), "Missing required parameter.", "missing_required_parameter");
  if (type == "text") {
    out.type = T::Text;
    return std::nullopt;
  }
  if (type == "json_object") {
    out.type = T::JsonObject;
    return std::nullopt;
  }
  if (type != "json_schema")
    return problem(sub(f, "type"),
                   "'" + type + "' is not one of 'text', 'json_object', 'json_schema'.");
  const json *spec = &j;
  std::string base = f;
  if (api == Api::Chat) {
    auto it = j.find("json_schema");
    if (it == j.end() || !it->is_object())
      return problem(sub(f, "json_schema"), "Missing required parameter.",
                     "missing_required_parameter");
    spec = &*it;
    base = sub(f, "json_schema");
  }
  auto schema = spec->find("schema");
  if (schema != spec->end() && !schema->is_null() && !schema->is_object())
    return wrong(sub(base, "schema"), "an object", *schema);
  out.type = T::JsonSchema;
  out.name = str_or(*spec, "name");
  out.schema = schema != spec->end() && schema->is_object() ? dump(*schema) : "";
  auto strict = spec->find("strict");
  out.strict = strict != spec->end() && strict->is_boolean() && strict->get<bool>();
  return std::nullopt;
}

std::optional<Problem> check_tool_choice(const answer::Conversation &conv, Api api,
                                         std::string_view field) {
  const ToolChoice &c = conv.tool_choice;
  if (c.mode != ToolChoice::Mode::Named) return std::nullopt;
  for (const auto &t : conv.tools)
    if (t.name == c.name) return std::nullopt;
  std::string param(field);
  if (api == Api::Messages)
    param += ".name";
  else if (api == Api::Chat && field == "tool_choice")
    param += ".function.name";
  else
    param += ".name";
  return problem(param, "Tool '" + c.name + "' is not among the declared tools.");
}

} // namespace g2a::tools
