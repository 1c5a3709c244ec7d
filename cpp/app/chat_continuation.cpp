// Chat continuation fingerprints (see chat_continuation.h).
#include "app/chat_continuation.h"

#include "core/bytes.h"
#include "core/sha256.h"
#include "core/text.h"
#include "tools/prompt.h"

namespace g2a::app {

namespace {

// Length-prefixed fields: no text can forge a boundary.
void field(std::string &out, std::string_view s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
}

} // namespace

bool wants_chat_continuation(const Request &req, bool setting) {
  auto h = req.header("x-grok-continue");
  if (!h) return setting;
  std::string_view v = text::trim(*h);
  if (text::iequals(v, "1") || text::iequals(v, "true") || text::iequals(v, "on")) return true;
  if (text::iequals(v, "0") || text::iequals(v, "false") || text::iequals(v, "off")) return false;
  return setting;
}

std::optional<size_t> last_assistant_turn(const std::vector<answer::Turn> &turns) {
  for (size_t i = turns.size(); i-- > 0;)
    if (turns[i].role == "assistant") return i;
  return std::nullopt;
}

std::string chat_thread_id(std::string_view key_id, const std::vector<answer::Turn> &turns,
                           size_t count) {
  std::string canon;
  field(canon, "g2a-chat-thread/1");
  field(canon, key_id);
  for (size_t i = 0; i < count && i < turns.size(); ++i) {
    const answer::Turn &t = turns[i];
    canon += 'T';
    field(canon, t.role);
    field(canon, text::trim(t.text));
    for (const auto &img : t.images) {
      canon += 'I';
      field(canon, img.url);
    }
    for (const auto &c : t.tool_calls) {
      canon += 'C';
      field(canon, c.name);
      field(canon, text::trim(c.arguments));
    }
    if (!t.tool_call_id.empty()) {
      canon += 'R';
      field(canon, t.tool_call_id);
    }
  }
  return std::string(kChatThreadPrefix) + hex_encode(sha256_digest(canon)).substr(0, 40);
}

answer::Conversation turns_after(const answer::Conversation &conv, size_t after) {
  answer::Conversation out;
  out.tools = conv.tools;
  out.tool_choice = conv.tool_choice;
  out.parallel_tool_calls = conv.parallel_tool_calls;
  out.format = conv.format;
  if (after + 1 < conv.turns.size())
    out.turns.assign(conv.turns.begin() + static_cast<long>(after) + 1, conv.turns.end());
  tools::name_tool_results(out, conv);
  return out;
}

} // namespace g2a::app
