// libFuzzer target: Chat Completions request parsing (openai/chat_request.h). The input is a
// request body. Invariants: an accepted body is a JSON object in valid UTF-8 (the parser is
// single-pass simdjson On-Demand: structure and UTF-8 are checked for the whole body, but the
// values of fields it does not read, e.g. unknown fields, are skipped unvalidated — a
// documented leniency, so "nlohmann accepts it" is not asserted); every refusal is a 400
// invalid_request_error whose error JSON serialises and reads back in OpenAI's shape, naming a
// param for parameter-level codes; an accepted request has a model, 1..kMaxMessages messages
// with known roles, n == 1, max_tokens -1 or >= 1, images only on user messages and only
// http(s)/data:image URLs; and it survives parse → canonical JSON → parse unchanged.
#include "fuzz_util.h"
#include "openai/chat_request.h"

using namespace g2a;
using namespace g2a::openai;

namespace {

// nullopt when the request holds what this canonical form does not write (a freeform tool, a
// json_schema response format): then no round trip is checked.
std::optional<json> canonical(const ChatRequest &r) {
  if (r.response_format_type == "json_schema") return std::nullopt;
  json j = {{"model", r.model}, {"messages", json::array()}};
  for (const auto &m : r.conversation.turns) {
    json mj = {{"role", m.role}};
    if (m.images.empty()) {
      mj["content"] = m.text;
    } else {
      json parts = json::array();
      if (!m.text.empty()) parts.push_back({{"type", "text"}, {"text", m.text}});
      for (const auto &im : m.images) {
        json iu = {{"url", im.url}};
        if (!im.detail.empty()) iu["detail"] = im.detail;
        parts.push_back({{"type", "image_url"}, {"image_url", iu}});
      }
      mj["content"] = parts;
    }
    if (!m.name.empty()) mj["name"] = m.name;
    if (!m.tool_call_id.empty()) mj["tool_call_id"] = m.tool_call_id;
    if (!m.tool_calls.empty()) {
      json calls = json::array();
      for (const auto &c : m.tool_calls)
        calls.push_back({{"id", c.id},
                         {"type", "function"},
                         {"function", {{"name", c.name}, {"arguments", c.arguments}}}});
      mj["tool_calls"] = calls;
    }
    j["messages"].push_back(mj);
  }
  j["stream"] = r.stream;
  if (r.include_usage) j["stream_options"] = {{"include_usage", true}};
  j["n"] = r.n;
  if (!r.reasoning_effort.empty()) j["reasoning_effort"] = r.reasoning_effort;
  if (r.max_tokens != -1) j["max_tokens"] = r.max_tokens;
  if (!r.user.empty()) j["user"] = r.user;
  if (r.has_tools) {
    j["tools"] = json::array();
    for (const auto &t : r.conversation.tools) {
      if (t.freeform) return std::nullopt;
      json fn{{"name", t.name}};
      if (!t.description.empty()) fn["description"] = t.description;
      if (!t.parameters.empty()) {
        auto schema = parse_json(t.parameters);
        if (!schema) return std::nullopt;
        fn["parameters"] = *schema;
      }
      j["tools"].push_back({{"type", "function"}, {"function", std::move(fn)}});
    }
  }
  if (!r.response_format_type.empty()) j["response_format"] = {{"type", r.response_format_type}};
  if (r.video.present)
    j["video_config"] = {{"aspect_ratio", r.video.aspect_ratio},
                         {"video_length", r.video.video_length},
                         {"resolution", r.video.resolution},
                         {"preset", r.video.preset}};
  return j;
}

void check_error(const ApiError &e, std::string_view body) {
  FUZZ_CHECK(e.status == 400 && e.type == "invalid_request_error", e.message);
  FUZZ_CHECK(!e.message.empty(), body);
  std::string text = dump(error_body(e));
  json back = fuzz::must_parse(text, "error body is not JSON");
  fuzz::check_error_shape(back, text);
  if (e.code == "missing_required_parameter" || e.code == "invalid_type" ||
      e.code == "invalid_value")
    FUZZ_CHECK(!e.param.empty(), text);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view body(reinterpret_cast<const char *>(data), size);
  auto res = parse_chat_request(body);
  auto strict = parse_json(body);
  if (auto *e = std::get_if<ApiError>(&res)) {
    check_error(*e, body);
    return 0;
  }
  const ChatRequest &r = std::get<ChatRequest>(res);
  // Accepted => valid UTF-8 and, when nlohmann can read it, really a JSON object.
  FUZZ_CHECK(fuzz::valid_utf8(body), body);
  if (strict) FUZZ_CHECK(strict->is_object(), body);
  FUZZ_CHECK(!r.model.empty() && r.n == 1, body);
  FUZZ_CHECK(!r.conversation.turns.empty() && r.conversation.turns.size() <= kMaxMessages, body);
  FUZZ_CHECK(r.max_tokens == -1 || r.max_tokens >= 1, body);
  FUZZ_CHECK(r.video.video_length >= 1 && r.video.video_length <= 60, body);
  for (const auto &m : r.conversation.turns) {
    FUZZ_CHECK(m.role == "system" || m.role == "developer" || m.role == "user" ||
                   m.role == "assistant" || m.role == "tool" || m.role == "function",
               m.role);
    if (!m.images.empty()) FUZZ_CHECK(m.role == "user", body);
    for (const auto &im : m.images) FUZZ_CHECK(!im.url.empty(), body);
    FUZZ_CHECK(fuzz::valid_utf8(m.text), m.text);
  }

  auto canon = canonical(r);
  if (!canon) return 0;
  std::string again = dump(*canon);
  auto res2 = parse_chat_request(again);
  if (auto *e = std::get_if<ApiError>(&res2)) fuzz::fail(e->message.c_str(), again);
  auto canon2 = canonical(std::get<ChatRequest>(res2));
  FUZZ_CHECK(canon2 && dump(*canon2) == again, again);
  return 0;
}
