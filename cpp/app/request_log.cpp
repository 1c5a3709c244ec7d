// Builds the INSERT for request_logs (parameterised; messages truncated to 500 bytes).
#include "app/request_log.h"

namespace g2a::app {

int logged_status(const Ctx &cx, const V1Call &call) {
  if (call.status_override) return call.status_override;
  if (cx.client_gone) return 499;
  return cx.status() ? cx.status() : 500;
}

static std::string clip(std::string s, size_t n) {
  if (s.size() <= n) return s;
  size_t cut = n;
  // do not split a UTF-8 sequence
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  return s;
}

fx::Stmt request_log_insert(const Ctx &cx, const V1Call &call) {
  long long ttfb = cx.first_byte_ms() >= 0 ? cx.first_byte_ms() - cx.started_ms : -1;
  auto opt = [](const std::string &s) { return s.empty() ? json(nullptr) : json(s); };
  return fx::Stmt{
      "INSERT INTO request_logs (id, ts, method, path, model, key_id, key_name, status, "
      "error_code, error_message, duration_ms, ttfb_ms, stream, token_id, token_suffix, "
      "attempts, ip, prompt_tokens, completion_tokens) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
      json::array({call.id, cx.started_ms, cx.req.method, clip(cx.req.path, 200), opt(call.model),
                   opt(call.key_id), opt(call.key_name), logged_status(cx, call),
                   opt(call.error_code), opt(clip(call.error_message, 500)),
                   cx.now_ms - cx.started_ms, ttfb < 0 ? json(nullptr) : json(ttfb),
                   call.stream ? 1 : 0, opt(call.token_id), opt(call.token_suffix), call.attempts,
                   opt(cx.req.ip), call.prompt_tokens, call.completion_tokens})};
}

} // namespace g2a::app
