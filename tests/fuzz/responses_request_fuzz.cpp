// libFuzzer target: Responses request parsing (openai/responses_request.h). The input is a
// request body. Invariants: an accepted body is a JSON object in valid UTF-8 (fields the parser
// does not read are skipped by simdjson On-Demand unvalidated — a documented leniency); every
// refusal is a 400 invalid_request_error whose error JSON serialises and reads back in OpenAI's
// shape, naming a param for parameter-level codes; an accepted request has a model, at most
// kMaxInputItems turns with known roles, images only on user turns and only http(s)/data:image
// URLs, tool turns naming their call, max_output_tokens -1 or >= 1, metadata within its bounds,
// a known reasoning summary; and it survives parse → canonical JSON → parse unchanged.
#include "fuzz_util.h"
#include "openai/responses_request.h"

using namespace g2a;
using namespace g2a::openai;

namespace {

json canonical(const ResponsesRequest &r) {
  json input = json::array();
  for (const auto &t : r.input) {
    if (t.role == "tool") {
      input.push_back(
          {{"type", "function_call_output"}, {"call_id", t.tool_call_id}, {"output", t.text}});
      continue;
    }
    // Every turn's message item, even an empty one: calls that follow join that turn again.
    json content = t.text;
    if (!t.images.empty()) {
      content = json::array();
      if (!t.text.empty())
        content.push_back(
            {{"type", t.role == "assistant" ? "output_text" : "input_text"}, {"text", t.text}});
      for (const auto &im : t.images) {
        json p = {{"type", "input_image"}, {"image_url", im.url}};
        if (!im.detail.empty()) p["detail"] = im.detail;
        content.push_back(p);
      }
    }
    input.push_back({{"type", "message"}, {"role", t.role}, {"content", content}});
    for (const auto &c : t.tool_calls)
      input.push_back({{"type", "function_call"},
                       {"call_id", c.id},
                       {"name", c.name},
                       {"arguments", c.arguments}});
  }
  json j = {{"model", r.model}, {"input", input}};
  if (r.has_instructions) j["instructions"] = r.instructions;
  j["stream"] = r.stream;
  j["store"] = r.store;
  if (r.max_output_tokens != -1) j["max_output_tokens"] = r.max_output_tokens;
  if (!r.metadata.empty()) {
    json m = json::object();
    for (const auto &[k, v] : r.metadata) m[k] = v;
    j["metadata"] = m;
  }
  if (!r.reasoning_effort.empty() || !r.reasoning_summary.empty()) {
    json re = json::object();
    if (!r.reasoning_effort.empty()) re["effort"] = r.reasoning_effort;
    if (!r.reasoning_summary.empty()) re["summary"] = r.reasoning_summary;
    j["reasoning"] = re;
  }
  if (!r.previous_response_id.empty()) j["previous_response_id"] = r.previous_response_id;
  if (r.has_temperature) j["temperature"] = r.temperature;
  if (r.has_top_p) j["top_p"] = r.top_p;
  if (!r.user.empty()) j["user"] = r.user;
  return j;
}

void check_error(const ApiError &e, std::string_view body) {
  FUZZ_CHECK(e.status == 400 && e.type == "invalid_request_error", e.message);
  FUZZ_CHECK(!e.message.empty(), body);
  std::string text = dump(error_body(e));
  json back = fuzz::must_parse(text, "error body is not JSON");
  fuzz::check_error_shape(back, text);
  if (e.code == "missing_required_parameter" || e.code == "invalid_type" ||
      e.code == "invalid_value" || e.code == "unsupported_parameter")
    FUZZ_CHECK(!e.param.empty(), text);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view body(reinterpret_cast<const char *>(data), size);
  auto res = parse_responses_request(body);
  auto strict = parse_json(body);
  if (auto *e = std::get_if<ApiError>(&res)) {
    check_error(*e, body);
    return 0;
  }
  const ResponsesRequest &r = std::get<ResponsesRequest>(res);
  FUZZ_CHECK(fuzz::valid_utf8(body), body);
  if (strict) FUZZ_CHECK(strict->is_object(), body);
  FUZZ_CHECK(!r.model.empty(), body);
  FUZZ_CHECK(r.input.size() <= kMaxInputItems, body);
  FUZZ_CHECK(r.max_output_tokens == -1 || r.max_output_tokens >= 1, body);
  FUZZ_CHECK(r.metadata.size() <= kMaxMetadataPairs, body);
  for (const auto &[k, v] : r.metadata)
    FUZZ_CHECK(k.size() <= kMaxMetadataKey && v.size() <= kMaxMetadataValue, body);
  FUZZ_CHECK(r.reasoning_summary.empty() || r.reasoning_summary == "auto" ||
                 r.reasoning_summary == "concise" || r.reasoning_summary == "detailed",
             body);
  for (const auto &t : r.input) {
    FUZZ_CHECK(t.role == "system" || t.role == "developer" || t.role == "user" ||
                   t.role == "assistant" || t.role == "tool",
               t.role);
    if (!t.images.empty()) FUZZ_CHECK(t.role == "user", body);
    for (const auto &im : t.images) FUZZ_CHECK(!im.url.empty(), body);
    if (t.role == "tool") FUZZ_CHECK(!t.tool_call_id.empty(), body);
    for (const auto &c : t.tool_calls) FUZZ_CHECK(!c.id.empty() && !c.name.empty(), body);
    FUZZ_CHECK(fuzz::valid_utf8(t.text), t.text);
  }

  std::string again = dump(canonical(r));
  auto res2 = parse_responses_request(again);
  if (auto *e = std::get_if<ApiError>(&res2)) fuzz::fail(e->message.c_str(), again);
  FUZZ_CHECK(dump(canonical(std::get<ResponsesRequest>(res2))) == again, again);
  return 0;
}
