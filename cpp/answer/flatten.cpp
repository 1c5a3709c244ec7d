// Conversation -> one prompt (format documented in flatten.h).
#include "answer/flatten.h"

#include <string_view>

namespace g2a::answer {
namespace {

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// The function name a tool result answers: its own `name`, else the matching earlier call.
std::string_view tool_label(const Conversation &conv, size_t upto, const Turn &m) {
  if (!m.name.empty()) return m.name;
  if (!m.tool_call_id.empty()) {
    for (size_t i = upto; i-- > 0;)
      for (const auto &c : conv.turns[i].tool_calls)
        if (c.id == m.tool_call_id && !c.name.empty()) return c.name;
  }
  return m.tool_call_id;
}

} // namespace

Flattened flatten(const Conversation &conv, size_t max_images) {
  Flattened f;
  const size_t n = conv.turns.size();
  auto block = [&f](std::string_view prefix, std::string_view text) {
    if (!f.prompt.empty()) f.prompt += "\n\n";
    f.prompt += prefix;
    f.prompt += text;
  };
  for (size_t i = 0; i < n; ++i) {
    const Turn &m = conv.turns[i];
    const std::string &r = m.role;
    if (r == "user") {
      for (const auto &img : m.images) f.images.push_back(img);
      if (blank(m.text)) continue;
      block(i + 1 == n ? "" : "user: ", m.text);
    } else if (r == "system" || r == "developer") {
      if (!blank(m.text)) block("system: ", m.text);
    } else if (r == "assistant") {
      std::string b;
      if (!blank(m.text)) b = "assistant: " + m.text;
      for (const auto &c : m.tool_calls) {
        if (!b.empty()) b += '\n';
        b += "assistant called " + c.name + "(" + c.arguments + ")";
      }
      if (!b.empty()) block("", b);
    } else { // tool, function
      if (blank(m.text)) continue;
      std::string_view label = tool_label(conv, i, m);
      std::string prefix = label.empty() ? "tool: " : "tool " + std::string(label) + ": ";
      block(prefix, m.text);
    }
  }
  if (f.images.size() > max_images)
    f.images.erase(f.images.begin(), f.images.end() - static_cast<long>(max_images));
  return f;
}

} // namespace g2a::answer
