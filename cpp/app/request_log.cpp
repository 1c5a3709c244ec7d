// Builds the INSERT for request_logs (parameterised; every text bounded, see request_log.h).
#include "app/request_log.h"
#include "core/text.h"

#include "grok/models.h"

#include <algorithm>

namespace g2a::app {

namespace {
constexpr std::string_view kMarker = "\xE2\x80\xA6"; // "…"
}

size_t log_model_max() {
  size_t longest = 0;
  for (const auto &m : grok::models()) longest = std::max(longest, std::string_view(m.id).size());
  return longest + kLogModelMargin;
}

std::string bounded(std::string s, size_t n) {
  if (s.size() <= n) return s;
  size_t cut = n > kMarker.size() ? n - kMarker.size() : 0;
  s.resize(text::utf8_prefix(s, cut).size()); // not inside a UTF-8 sequence
  s += kMarker;
  return s;
}

int logged_status(const Ctx &cx, const V1Call &call) {
  if (call.status_override) return call.status_override;
  if (cx.client_gone) return 499;
  return cx.status() ? cx.status() : 500;
}

fx::Stmt request_log_insert(const Ctx &cx, const V1Call &call) {
  long long ttfb = cx.first_byte_ms() >= 0 ? cx.first_byte_ms() - cx.started_ms : -1;
  auto opt = [](const std::string &s, size_t n) {
    return s.empty() ? json(nullptr) : json(bounded(s, n));
  };
  return fx::Stmt{
      "INSERT INTO request_logs (id, ts, method, path, model, key_id, key_name, status, "
      "error_code, error_message, duration_ms, ttfb_ms, stream, token_id, token_suffix, "
      "attempts, ip, prompt_tokens, completion_tokens, route, statsig_source, quality) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
      "?19, ?20, ?21, ?22)",
      json::array({bounded(call.id, kLogIdMax),
                   cx.started_ms,
                   bounded(cx.req.method, kLogMethodMax),
                   bounded(cx.req.path, kLogPathMax),
                   opt(call.model, log_model_max()),
                   opt(call.key_id, kLogIdMax),
                   opt(call.key_name, kLogNameMax),
                   logged_status(cx, call),
                   opt(call.error_code, kLogIdMax),
                   opt(call.error_message, kLogMessageMax),
                   cx.now_ms - cx.started_ms,
                   ttfb < 0 ? json(nullptr) : json(ttfb),
                   call.stream ? 1 : 0,
                   opt(call.token_id, kLogIdMax),
                   opt(call.token_suffix, kLogIdMax),
                   call.attempts,
                   opt(cx.req.ip, kLogIpMax),
                   call.prompt_tokens,
                   call.completion_tokens,
                   opt(call.route, kLogIdMax),
                   opt(call.statsig_source, kLogIdMax),
                   opt(call.quality, kLogIdMax)})};
}

} // namespace g2a::app
