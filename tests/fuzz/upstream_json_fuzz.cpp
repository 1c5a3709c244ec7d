// libFuzzer target: the small upstream answer parsers and the request-body JSON gate — rate
// limits and the tier they imply (grok/rate_limits.h), Imagine quota_info, /api/auth/session
// (grok/auth_session.h), upload answers (grok/upload.h), HTTP failure classification
// (grok/upstream_errors.h) and check_json_object (http/json_body.h). First byte: the status
// for classification. Invariants: quotas are -1 or non-negative and a parsed snapshot is
// known; Authenticated sessions carry a user id or came from a status; uploads are refused
// when terminalError is set and otherwise carry an id; check_json_object accepts only what
// nlohmann reads as a JSON object and refuses with a 400 in OpenAI's shape.
#include "fuzz_util.h"
#include "grok/auth_session.h"
#include "grok/rate_limits.h"
#include "grok/upload.h"
#include "grok/upstream_errors.h"
#include "http/json_body.h"

using namespace g2a;
using namespace g2a::grok;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::Reader r(data, size);
  int status = 100 + r.byte() * 2;
  std::string body(r.rest()); // own allocation

  for (bool high : {false, true}) {
    if (auto q = parse_rate_limits(body, high)) {
      FUZZ_CHECK(q->known, body);
      for (long long v : {q->remaining, q->total, q->window_s, q->remaining_tokens, q->total_tokens})
        FUZZ_CHECK(v >= -1, body);
      FUZZ_CHECK(q->remaining >= 0 || q->total >= 0 || q->remaining_tokens >= 0 ||
                     q->total_tokens >= 0,
                 body);
      for (const char *mode : {"auto", "fast", "expert", "heavy", "x"}) {
        bool confident = true;
        Tier t = infer_tier(mode, *q, &confident);
        (void)t;
      }
    }
  }
  if (auto iq = parse_imagine_quota(body)) {
    for (const auto &s : iq->slots) {
      FUZZ_CHECK(!s.kind.empty() && s.remaining >= -1 && s.window_s >= -1, body);
      if (!s.offered) FUZZ_CHECK(!s.available, body);
      FUZZ_CHECK(iq->find(s.kind) != nullptr, s.kind);
    }
  }
  SessionInfo si = parse_auth_session(body);
  if (!si.user_id.empty()) FUZZ_CHECK(fuzz::valid_utf8(si.user_id), si.user_id);
  std::string err;
  if (auto up = parse_upload_v2_response(body, &err)) {
    FUZZ_CHECK(!up->file_id.empty(), body);
  }
  if (auto up = parse_upload_legacy_response(body)) FUZZ_CHECK(!up->file_id.empty(), body);
  for (std::string_view ct : {"application/json", "text/html; charset=utf-8", ""}) {
    Failure f = classify_http_failure(status, ct, body);
    if (status >= 200 && status < 300) (void)f;
    FUZZ_CHECK(failure_name(f) != nullptr, body);
  }
  Failure m = classify_error_message(body, body.substr(0, 16));
  FUZZ_CHECK(failure_name(m) != nullptr, body);

  auto gate = check_json_object(body);
  auto strict = parse_json(body);
  if (!gate) {
    FUZZ_CHECK(strict && strict->is_object(), body);
  } else {
    FUZZ_CHECK(gate->status == 400 && gate->type == "invalid_request_error", gate->message);
    std::string text = dump(error_body(*gate));
    fuzz::check_error_shape(fuzz::must_parse(text, "gate error is not JSON"), text);
  }
  return 0;
}
