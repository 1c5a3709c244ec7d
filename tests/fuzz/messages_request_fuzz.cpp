// libFuzzer target: Anthropic Messages request parsing (anthropic/messages_request.h). The input
// is an endpoint byte (create / count_tokens) and a request body. Invariants: every refusal is a
// 400 invalid_request_error whose Anthropic-shaped error JSON serialises and reads back, and
// whose message names the field for field-level codes; an accepted body is valid UTF-8 (and a
// JSON object when nlohmann can read it — On-Demand skips the scalars of fields it does not
// read, a documented leniency) with a model; its turns have known roles, a system turn only
// first, images only on user turns with data:image/ or http(s) URLs; max_tokens >= 1 for create;
// enabled thinking has 1024 <= budget < max_tokens; stop sequences are non-empty and at most
// kMaxStopSequences; and the request survives parse → canonical JSON → parse unchanged.
#include "anthropic/messages_request.h"
#include "fuzz_util.h"
#include "http/error_dialect.h"

using namespace g2a;
using namespace g2a::anthropic;

namespace {

// nullopt when a tool call's input is not JSON nlohmann reads (then no round trip is checked).
std::optional<json> canonical(const MessagesRequest &r, MessagesEndpoint ep) {
  json j = {{"model", r.model}};
  if (ep == MessagesEndpoint::Create) j["max_tokens"] = r.max_tokens;
  json messages = json::array();
  bool thinking_placed = false;
  for (const auto &t : r.conversation.turns) {
    if (t.role == "system") {
      j["system"] = t.text;
      continue;
    }
    if (t.role == "tool") {
      messages.push_back({{"role", "user"},
                          {"content", json::array({{{"type", "tool_result"},
                                                    {"tool_use_id", t.tool_call_id},
                                                    {"content", t.text}}})}});
      continue;
    }
    json blocks = json::array();
    if (t.role == "assistant" && !thinking_placed) {
      for (const auto &s : r.sent_thinking)
        blocks.push_back(
            {{"type", "thinking"}, {"thinking", s.thinking}, {"signature", s.signature}});
      thinking_placed = true;
    }
    for (const auto &img : t.images) {
      std::string_view u = img.url;
      if (u.rfind("data:", 0) == 0) {
        size_t semi = u.find(';'), comma = u.find(',');
        blocks.push_back({{"type", "image"},
                          {"source",
                           {{"type", "base64"},
                            {"media_type", std::string(u.substr(5, semi - 5))},
                            {"data", std::string(u.substr(comma + 1))}}}});
      } else {
        blocks.push_back({{"type", "image"}, {"source", {{"type", "url"}, {"url", img.url}}}});
      }
    }
    if (!t.text.empty()) blocks.push_back({{"type", "text"}, {"text", t.text}});
    for (const auto &c : t.tool_calls) {
      auto input = parse_json(c.arguments);
      if (!input) return std::nullopt;
      blocks.push_back({{"type", "tool_use"}, {"id", c.id}, {"name", c.name}, {"input", *input}});
    }
    messages.push_back({{"role", t.role}, {"content", blocks.empty() ? json("") : blocks}});
  }
  // Only system-role messages (folded away): one empty one keeps the list non-empty.
  if (messages.empty()) messages.push_back({{"role", "system"}, {"content", ""}});
  j["messages"] = messages;
  if (r.stream) j["stream"] = true;
  if (!r.stop_sequences.empty()) j["stop_sequences"] = r.stop_sequences;
  if (r.thinking == Thinking::Enabled)
    j["thinking"] = {{"type", "enabled"}, {"budget_tokens", r.budget_tokens}};
  else if (r.thinking == Thinking::Disabled)
    j["thinking"] = {{"type", "disabled"}};
  else if (r.thinking == Thinking::Adaptive)
    j["thinking"] = {{"type", "adaptive"}};
  if (!r.user_id.empty()) j["metadata"] = {{"user_id", r.user_id}};
  // The custom tools as parsed into the catalogue (server tools are not offered: left out).
  if (!r.conversation.tools.empty()) {
    j["tools"] = json::array();
    for (const auto &t : r.conversation.tools) {
      json tool{{"name", t.name}};
      if (!t.description.empty()) tool["description"] = t.description;
      auto schema = t.parameters.empty() ? std::optional<json>(json{{"type", "object"}})
                                         : parse_json(t.parameters);
      if (!schema) return std::nullopt;
      tool["input_schema"] = *schema;
      j["tools"].push_back(std::move(tool));
    }
  }
  return j;
}

void check_error(const ApiError &e, std::string_view body) {
  FUZZ_CHECK(e.status == 400 && e.type == "invalid_request_error", e.message);
  FUZZ_CHECK(!e.message.empty(), body);
  std::string text = dump(error_body(e, ErrorDialect::Anthropic, "req_1"));
  json back = fuzz::must_parse(text, "error body is not JSON");
  FUZZ_CHECK(back["type"] == "error" && back["error"]["type"] == "invalid_request_error", text);
  FUZZ_CHECK(back["error"]["message"].is_string(), text);
  if (e.code == "missing_required_parameter" || e.code == "invalid_type" ||
      e.code == "invalid_value")
    FUZZ_CHECK(!e.param.empty() && e.message.find(e.param) != std::string::npos, text);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  MessagesEndpoint ep = data[0] & 1 ? MessagesEndpoint::CountTokens : MessagesEndpoint::Create;
  std::string_view body(reinterpret_cast<const char *>(data) + 1, size - 1);
  auto res = parse_messages_request(body, ep);
  if (auto *e = std::get_if<ApiError>(&res)) {
    check_error(*e, body);
    return 0;
  }
  const MessagesRequest &r = std::get<MessagesRequest>(res);
  FUZZ_CHECK(fuzz::valid_utf8(body), body);
  auto strict = parse_json(body);
  if (strict) FUZZ_CHECK(strict->is_object(), body);
  FUZZ_CHECK(!r.model.empty(), body);
  if (ep == MessagesEndpoint::Create) {
    FUZZ_CHECK(r.max_tokens >= 1, body);
    if (r.thinking == Thinking::Enabled)
      FUZZ_CHECK(r.budget_tokens >= 1024 && r.budget_tokens < r.max_tokens, body);
  } else {
    FUZZ_CHECK(!r.stream, body);
  }
  FUZZ_CHECK(r.stop_sequences.size() <= kMaxStopSequences, body);
  for (const auto &s : r.stop_sequences) FUZZ_CHECK(!s.empty(), body);
  const auto &turns = r.conversation.turns;
  for (size_t i = 0; i < turns.size(); ++i) {
    const auto &t = turns[i];
    FUZZ_CHECK(t.role == "user" || t.role == "assistant" || t.role == "tool" ||
                   (t.role == "system" && i == 0),
               body);
    if (!t.images.empty()) FUZZ_CHECK(t.role == "user", body);
    for (const auto &im : t.images) {
      std::string head = im.url.substr(0, 11);
      for (char &c : head) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      FUZZ_CHECK(head == "data:image/" || head.rfind("http://", 0) == 0 ||
                     head.rfind("https://", 0) == 0,
                 im.url);
    }
    if (!t.tool_calls.empty()) FUZZ_CHECK(t.role == "assistant", body);
    if (t.role == "tool") FUZZ_CHECK(!t.tool_call_id.empty(), body);
    FUZZ_CHECK(fuzz::valid_utf8(t.text), t.text);
  }

  auto canon = canonical(r, ep);
  if (!canon) return 0;
  std::string again = dump(*canon);
  auto res2 = parse_messages_request(again, ep);
  if (auto *e = std::get_if<ApiError>(&res2)) fuzz::fail(e->message.c_str(), again);
  auto canon2 = canonical(std::get<MessagesRequest>(res2), ep);
  FUZZ_CHECK(canon2 && dump(*canon2) == again, again);
  return 0;
}
