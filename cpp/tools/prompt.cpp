// The tool prompt (layout and convention in prompt.h).
#include "tools/prompt.h"

#include "core/json.h"

namespace g2a::tools {
namespace {

using answer::Conversation;
using answer::ToolSpec;
using answer::Turn;

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Whitespace runs become one space (or one newline when they hold a newline), ends trimmed.
std::string squeeze(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false, newline = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = true;
      newline = newline || c == '\n';
      continue;
    }
    if (space && !out.empty()) out += newline ? '\n' : ' ';
    space = newline = false;
    out += c;
  }
  return out;
}

bool simple_key(const std::string &k) {
  if (k.empty()) return false;
  for (char c : k)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

std::string type_of(const json &s, int depth);

std::string object_type(const json &s, int depth) {
  auto props = s.find("properties");
  if (props == s.end() || !props->is_object() || props->empty()) {
    auto extra = s.find("additionalProperties");
    if (extra != s.end() && extra->is_object())
      return "{[key: string]: " + type_of(*extra, depth + 1) + "}";
    return "object";
  }
  std::vector<std::string> required;
  if (auto r = s.find("required"); r != s.end() && r->is_array())
    for (const auto &x : *r)
      if (x.is_string()) required.push_back(x.get<std::string>());
  std::string out = "{";
  bool first = true;
  for (auto it = props->begin(); it != props->end(); ++it) {
    if (!first) out += ", ";
    first = false;
    out += simple_key(it.key()) ? it.key() : dump(json(it.key()));
    bool req = false;
    for (const auto &r : required) req = req || r == it.key();
    if (!req) out += '?';
    out += ": ";
    out += type_of(it.value(), depth + 1);
  }
  return out + "}";
}

std::string type_of(const json &s, int depth) {
  if (!s.is_object()) return "any";
  if (depth > 6) return dump(s); // deep schemas: as they are
  if (auto e = s.find("enum"); e != s.end() && e->is_array() && !e->empty()) {
    std::string out;
    for (const auto &v : *e) {
      if (!out.empty()) out += '|';
      out += dump(v);
    }
    return out;
  }
  if (auto c = s.find("const"); c != s.end()) return dump(*c);
  for (const char *k : {"anyOf", "oneOf"}) {
    if (auto a = s.find(k); a != s.end() && a->is_array() && !a->empty()) {
      std::string out;
      for (const auto &v : *a) {
        if (!out.empty()) out += " | ";
        out += type_of(v, depth + 1);
      }
      return out;
    }
  }
  auto t = s.find("type");
  if (t == s.end()) {
    if (s.contains("properties")) return object_type(s, depth);
    if (s.contains("$ref")) return dump(s);
    return "any";
  }
  if (t->is_array()) {
    std::string out;
    for (const auto &x : *t) {
      if (!out.empty()) out += '|';
      json one = s;
      one["type"] = x;
      out += type_of(one, depth + 1);
    }
    return out;
  }
  std::string type = t->is_string() ? t->get<std::string>() : "any";
  if (type == "object") return object_type(s, depth);
  if (type == "array") {
    auto items = s.find("items");
    std::string inner = items != s.end() ? type_of(*items, depth + 1) : "any";
    bool wrap = inner.find('|') != std::string::npos || inner.find(' ') != std::string::npos;
    return (wrap && inner.front() != '{' ? "(" + inner + ")" : inner) + "[]";
  }
  return type; // string, number, integer, boolean, null
}

// "- name: description" lines for the top-level properties that have a description.
std::string property_notes(const json &s) {
  std::string out;
  auto props = s.find("properties");
  if (props == s.end() || !props->is_object()) return out;
  for (auto it = props->begin(); it != props->end(); ++it) {
    if (!it.value().is_object()) continue;
    std::string d = squeeze(str_or(it.value(), "description"));
    if (d.empty()) continue;
    out += "\n- " + it.key() + ": " + d;
  }
  return out;
}

void render_tool(std::string &out, const ToolSpec &t) {
  out += "## " + t.name + "\n";
  if (!blank(t.description)) out += squeeze(t.description) + "\n";
  if (t.freeform) {
    out += "Input: raw text (not JSON), written as the whole body of the call.";
    if (!t.format.empty()) out += "\nThe input follows this " + t.format;
    return;
  }
  if (t.parameters.empty()) {
    out += "Arguments: object";
    return;
  }
  auto schema = parse_json(t.parameters);
  if (!schema) {
    out += "Arguments: object";
    return;
  }
  out += "Arguments: " + type_of(*schema, 0);
  out += property_notes(*schema);
}

const ToolSpec *find_tool(const Conversation &conv, std::string_view name) {
  for (const auto &t : conv.tools)
    if (t.name == name) return &t;
  return nullptr;
}

// An earlier call, in the convention.
std::string call_block(const Conversation &conv, const answer::ToolCall &c) {
  std::string body = c.arguments;
  const ToolSpec *t = find_tool(conv, c.name);
  if (!(t && t->freeform)) {
    if (auto j = parse_json(c.arguments))
      body = dump(*j); // one line, as the model writes it
    else if (blank(body))
      body = "{}";
  }
  return "<tool_call name=\"" + c.name + "\">" + body + "</tool_call>";
}

std::string result_name(const Conversation &conv, size_t upto, const Turn &m) {
  if (!m.name.empty()) return m.name;
  for (size_t i = upto; i-- > 0;)
    for (const auto &c : conv.turns[i].tool_calls)
      if (c.id == m.tool_call_id && !c.name.empty()) return c.name;
  return {};
}

std::string reminder(const Conversation &conv, bool stronger) {
  std::string out =
      "[Tool use] To call a tool, reply with one block per call, each on its own lines:\n"
      "<tool_call name=\"TOOL_NAME\">{\"argument\": \"value\"}</tool_call>\n"
      "The body is one JSON object with the tool's arguments (a raw-text tool takes its raw "
      "input instead). Use only the tools listed above, with their exact names. Do not put "
      "calls in code fences, do not describe a call instead of making it, and never write "
      "<tool_result> yourself: after your calls, stop; the results will be sent to you. If no "
      "tool is needed, answer directly.";
  if (!conv.parallel_tool_calls) out += "\nCall at most one tool in this reply.";
  using M = answer::ToolChoice::Mode;
  if (conv.tool_choice.mode == M::Required)
    out += stronger ? "\nYour previous reply made no tool call. This reply MUST be tool calls "
                      "only, in the format above, with no other text."
                    : "\nYou MUST call at least one tool in this reply.";
  else if (conv.tool_choice.mode == M::Named)
    out += std::string(stronger ? "\nYour previous reply made no tool call. This reply MUST be "
                                  "only a call of the tool "
                                : "\nYou MUST call the tool ") +
           conv.tool_choice.name + " in this reply.";
  return out;
}

} // namespace

void name_tool_results(Conversation &part, const Conversation &whole) {
  for (Turn &m : part.turns)
    if ((m.role == "tool" || m.role == "function") && m.name.empty() && !m.tool_call_id.empty())
      m.name = result_name(whole, whole.turns.size(), m);
}

bool offers_tools(const Conversation &conv) {
  return !conv.tools.empty() && conv.tool_choice.mode != answer::ToolChoice::Mode::None;
}

std::vector<const ToolSpec *> offered_tools(const Conversation &conv) {
  std::vector<const ToolSpec *> out;
  if (!offers_tools(conv)) return out;
  for (const auto &t : conv.tools)
    if (conv.tool_choice.mode != answer::ToolChoice::Mode::Named || t.name == conv.tool_choice.name)
      out.push_back(&t);
  return out;
}

std::string render_schema_type(std::string_view schema_json) {
  auto schema = parse_json(schema_json);
  return schema ? type_of(*schema, 0) : "object";
}

std::string render_catalogue(const Conversation &conv) {
  std::string out = "# Tools (";
  out += kConvention;
  out += ")\nYou can call these tools. The calling format is described at the end of this "
         "message.";
  for (const ToolSpec *t : offered_tools(conv)) {
    out += "\n\n";
    render_tool(out, *t);
  }
  return out;
}

std::string format_rules(const answer::OutputFormat &fmt) {
  std::string out = "[Output format] Reply with exactly one JSON object and nothing else: no "
                    "prose before or after it, no code fences.";
  if (fmt.type == answer::OutputFormat::Type::JsonSchema && !fmt.schema.empty())
    out += " It must match this JSON Schema:\n" + fmt.schema;
  return out;
}

answer::Flattened render_prompt(const Conversation &conv, size_t max_images, bool stronger) {
  answer::Flattened f = render_dialogue(conv, max_images, stronger);
  if (conv.format.type != answer::OutputFormat::Type::Text)
    f.prompt += (f.prompt.empty() ? "" : "\n\n") + format_rules(conv.format);
  return f;
}

answer::Flattened render_dialogue(const Conversation &conv, size_t max_images, bool stronger) {
  if (!offers_tools(conv)) return answer::flatten(conv, max_images);
  answer::Flattened f;
  const size_t n = conv.turns.size();
  auto block = [&f](std::string_view text) {
    if (!f.prompt.empty()) f.prompt += "\n\n";
    f.prompt += text;
  };
  // System turns first (they frame everything), then the catalogue, then the dialogue.
  for (const Turn &m : conv.turns)
    if ((m.role == "system" || m.role == "developer") && !blank(m.text)) block("system: " + m.text);
  block(render_catalogue(conv));
  for (size_t i = 0; i < n; ++i) {
    const Turn &m = conv.turns[i];
    const std::string &r = m.role;
    if (r == "system" || r == "developer") continue;
    if (r == "user") {
      for (const auto &img : m.images) f.images.push_back(img);
      if (blank(m.text)) continue;
      block(i + 1 == n ? m.text : "user: " + m.text);
    } else if (r == "assistant") {
      std::string b;
      if (!blank(m.text))
        b = "assistant: " + m.text;
      else if (!m.tool_calls.empty())
        b = "assistant:";
      for (const auto &c : m.tool_calls) b += "\n" + call_block(conv, c);
      if (!b.empty()) block(b);
    } else { // tool, function
      std::string name = result_name(conv, i, m);
      std::string b = "<tool_result";
      if (!name.empty()) b += " name=\"" + name + "\"";
      if (!m.tool_call_id.empty()) b += " id=\"" + m.tool_call_id + "\"";
      b += ">" + m.text + "</tool_result>";
      block(b);
    }
  }
  block(reminder(conv, stronger));
  if (f.images.size() > max_images)
    f.images.erase(f.images.begin(), f.images.end() - static_cast<long>(max_images));
  return f;
}

} // namespace g2a::tools
