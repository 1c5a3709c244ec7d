// Upstream failure classification: HTTP status + body (REST calls, refused WebSocket
// handshakes) and in-band error messages (NDJSON `error`, mgw `stream_error`, imagine
// `err_code`) → Failure.
#include "grok/upstream_errors.h"
#include "core/text.h"

#include "core/json.h"

#include <array>
#include <string>

namespace g2a::grok {

namespace {

// ASCII case-insensitive substring test; `needle` must be lower-case.
bool has(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && text::lower(hay[i + j]) == needle[j]) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

template <size_t N> bool has_any(std::string_view hay, const std::array<std::string_view, N> &ns) {
  for (auto n : ns)
    if (has(hay, n)) return true;
  return false;
}

constexpr std::array<std::string_view, 13> kAuth = {"blocked-user",
                                                    "user is blocked",
                                                    "invalid-credentials",
                                                    "bad-credentials",
                                                    "failed to look up session id",
                                                    "session not found",
                                                    "account suspended",
                                                    "token revoked",
                                                    "token expired",
                                                    "unauthenticated",
                                                    "email-domain-rejected",
                                                    "invalid credentials",
                                                    "user_blocked"};
constexpr std::array<std::string_view, 9> kRate = {
    "usage limit", "usage_limit",       "usagelimitreached", "rate limit",        "rate_limit",
    "ratelimit",   "too many requests", "globalratelimit",   "usagepoolexhausted"};
constexpr std::array<std::string_view, 5> kExhausted = {
    "resourceexhausted", "resource_exhausted", "resource exhausted", "heavy usage", "load_shed"};
constexpr std::array<std::string_view, 4> kModel = {
    "modelnotavailable", "model not available", "model is not available", "model_not_available"};
constexpr std::array<std::string_view, 5> kChallenge = {"just a moment", "challenge-platform",
                                                        "__cf_chl", "cf-chl-", "cf_chl_opt"};

// Classifies by message/code text; None when nothing is recognised.
Failure classify_text(std::string_view message, std::string_view code) {
  if (has_any(message, kAuth) || has_any(code, kAuth) || code == "16") return Failure::AuthInvalid;
  if (has(message, "out of date")) return Failure::StatsigOutdated;
  if (has(message, "anti-bot") || has(message, "anti bot")) return Failure::AntiBot;
  if (has(message, "moderat") || has(code, "moderat")) return Failure::Moderated;
  if (has_any(message, kRate) || has_any(code, kRate)) return Failure::RateLimited;
  if (has_any(message, kExhausted) || has_any(code, kExhausted)) return Failure::ResourceExhausted;
  if (code == "8") return Failure::RateLimited; // gRPC RESOURCE_EXHAUSTED as chenyme-py maps it
  if (has_any(message, kModel) || has_any(code, kModel)) return Failure::ModelUnavailable;
  return Failure::None;
}

bool looks_html(std::string_view content_type, std::string_view body) {
  if (has(content_type, "text/html")) return true;
  size_t i = 0;
  while (i < body.size() &&
         (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t'))
    ++i;
  return i < body.size() && body[i] == '<';
}

bool blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return false;
  return true;
}

// Pulls `message` and `code` out of a JSON error body (`{"error":{code,message}}`,
// `{"error":"…"}`, `{"code":…,"message":…}`); false when the body is not JSON.
bool json_error(std::string_view body, std::string &message, std::string &code) {
  auto parsed = parse_json(body);
  if (!parsed || !parsed->is_object()) return false;
  const json *err = &*parsed;
  auto it = parsed->find("error");
  if (it != parsed->end()) {
    if (it->is_string()) {
      message = it->get<std::string>();
      return true;
    }
    if (it->is_object()) err = &*it;
  }
  message = str_or(*err, "message");
  auto c = err->find("code");
  if (c != err->end()) {
    if (c->is_number_integer())
      code = std::to_string(c->get<long long>());
    else if (c->is_string())
      code = c->get<std::string>();
  }
  return true;
}

} // namespace

Failure classify_error_message(std::string_view message, std::string_view code) {
  Failure f = classify_text(message, code);
  return f == Failure::None ? Failure::Upstream5xx : f;
}

Failure classify_http_failure(int status, std::string_view content_type, std::string_view body) {
  if (status <= 0) return Failure::Network;
  if (status == 401) return Failure::AuthInvalid;
  if (has_any(body, kAuth)) return Failure::AuthInvalid;
  if (status == 429) return Failure::RateLimited;
  bool html = looks_html(content_type, body);
  bool challenge = has_any(body, kChallenge);
  if (status == 403 && (html || challenge || blank(body))) return Failure::CloudflareChallenge;
  if (status == 503 && challenge) return Failure::CloudflareChallenge;
  std::string message, code;
  if (!html && json_error(body, message, code)) {
    Failure f = classify_text(message, code);
    if (f != Failure::None) return f;
    if (status == 403 && code == "7") return Failure::AntiBot; // code 7 = policy refusal
  } else {
    Failure f = classify_text(html ? std::string_view{} : body, {});
    if (f != Failure::None) return f;
  }
  if (status >= 500) return Failure::Upstream5xx;
  return Failure::BadResponse;
}

} // namespace g2a::grok
