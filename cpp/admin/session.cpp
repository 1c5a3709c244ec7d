// Cookie parsing, CSRF decisions and the session rows.
#include "admin/session.h"
#include "core/text.h"

#include "core/bytes.h"

#include <algorithm>

namespace g2a::admin {

namespace {
bool b64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// Constant-time equality for same-purpose tokens (length differences are not hidden, which is
// fine for fixed-length random tokens).
bool same(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}
} // namespace

std::optional<std::string> session_cookie(const Request &req) {
  for (const auto &[name, value] : req.headers) {
    if (name != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view part = text::trim(rest.substr(0, semi), text::kSpaceTab);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      size_t eq = part.find('=');
      if (eq == std::string_view::npos ||
          text::trim(part.substr(0, eq), text::kSpaceTab) != kCookieName)
        continue;
      std::string_view v = text::trim(part.substr(eq + 1), text::kSpaceTab);
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      if (v.size() != 43) return std::nullopt;
      for (char c : v)
        if (!b64url_char(c)) return std::nullopt;
      return std::string(v);
    }
  }
  return std::nullopt;
}

bool session_cookie_seen(const Request &req) {
  return session_cookie(req).has_value() ||
         req.header_or("cookie").find(kCookieName) != std::string_view::npos;
}

std::string set_cookie_value(std::string_view token, long long max_age_s) {
  return std::string(kCookieName) + "=" + std::string(token) +
         "; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=" + std::to_string(max_age_s);
}

std::string clear_cookie_value() {
  return std::string(kCookieName) + "=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0";
}

bool is_state_changing(std::string_view m) {
  return m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE";
}

CsrfCheck check_csrf(const Request &req, std::string_view session_csrf) {
  auto token = req.header("x-csrf-token");
  if (!token || token->empty()) return CsrfCheck::MissingToken;
  if (session_csrf.empty() || !same(*token, session_csrf)) return CsrfCheck::WrongToken;
  auto origin = req.header("origin");
  if (!origin || req.origin.empty() || *origin != req.origin) return CsrfCheck::WrongOrigin;
  return CsrfCheck::Ok;
}

const char *csrf_message(CsrfCheck c) {
  switch (c) {
  case CsrfCheck::MissingToken:
    return "This call needs the X-CSRF-Token header from GET /api/admin/session.";
  case CsrfCheck::WrongToken:
    return "The X-CSRF-Token header does not match this session.";
  case CsrfCheck::WrongOrigin:
    return "The Origin header must be this gateway's own origin.";
  case CsrfCheck::Ok:
    break;
  }
  return "";
}

long long session_expiry(long long created_at, long long now_ms) {
  return std::min(now_ms + kSessionTtlMs, created_at + kSessionMaxLifetimeMs);
}

bool needs_reissue(const Session &s, long long now_ms) {
  return now_ms - s.reissued_at > kReissueAfterMs;
}

fx::Stmt session_select(std::string_view token_hash, long long now_ms) {
  return {"SELECT s.token_hash, s.username, s.csrf_token, s.expires_at, s.reissued_at, "
          "s.created_at, u.must_change_password FROM admin_sessions s JOIN admin_users u ON "
          "u.username = s.username WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND "
          "s.created_at > ?2 - ?3",
          json::array({token_hash, now_ms, kSessionMaxLifetimeMs})};
}

std::optional<Session> session_from_rows(const json &rows) {
  if (!rows.is_array() || rows.empty()) return std::nullopt;
  const json &r = rows[0];
  Session s;
  s.token_hash = str_or(r, "token_hash");
  s.username = str_or(r, "username");
  s.csrf_token = str_or(r, "csrf_token");
  s.expires_at = int_or(r, "expires_at");
  s.reissued_at = int_or(r, "reissued_at");
  s.created_at = int_or(r, "created_at");
  s.must_change_password = int_or(r, "must_change_password", 0) != 0;
  if (s.token_hash.empty() || s.username.empty() || s.csrf_token.empty()) return std::nullopt;
  return s;
}

fx::Stmt session_insert(const Session &s, long long now_ms, std::string_view ip) {
  return {"INSERT INTO admin_sessions (token_hash, username, csrf_token, created_at, expires_at, "
          "reissued_at, ip) VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?6)",
          json::array({s.token_hash, s.username, s.csrf_token, now_ms, now_ms + kSessionTtlMs,
                       ip.empty() ? json(nullptr) : json(ip)})};
}

fx::Stmt session_slide(std::string_view token_hash, long long created_at, long long now_ms) {
  return {"UPDATE admin_sessions SET expires_at = ?2, reissued_at = ?3 WHERE token_hash = ?1",
          json::array({token_hash, session_expiry(created_at, now_ms), now_ms})};
}

fx::Stmt session_delete(std::string_view token_hash) {
  return {"DELETE FROM admin_sessions WHERE token_hash = ?1", json::array({token_hash})};
}

fx::Stmt sessions_delete_expired(long long now_ms) {
  return {"DELETE FROM admin_sessions WHERE expires_at <= ?1 OR created_at <= ?1 - ?2",
          json::array({now_ms, kSessionMaxLifetimeMs})};
}

Task<ApiResult<std::optional<Session>>> load_session(Ctx &cx, AdminCall &call) {
  auto token = session_cookie(cx.req);
  if (!token) co_return std::nullopt;
  auto digest = co_await cx.run({fx::sha256(*token)});
  std::string hash(fx::CryptoResult::of(fx::result_at(digest)).hex);
  if (hash.empty()) co_return storage_error();
  auto res = co_await cx.run({fx::d1({session_select(hash, cx.now_ms)})});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) co_return storage_error();
  auto s = session_from_rows(r.rows());
  if (!s) co_return std::nullopt;
  if (needs_reissue(*s, cx.now_ms)) {
    auto up = co_await cx.run({fx::d1({session_slide(s->token_hash, s->created_at, cx.now_ms)})});
    if (fx::D1Result::of(fx::result_at(up)).ok) {
      s->reissued_at = cx.now_ms;
      s->expires_at = session_expiry(s->created_at, cx.now_ms);
      call.extra.emplace_back("set-cookie",
                              set_cookie_value(*token, (s->expires_at - cx.now_ms) / 1000));
    }
  }
  co_return s;
}

Task<std::optional<Session>> create_session(Ctx &cx, AdminCall &call, std::string username,
                                            bool must_change, std::vector<fx::Stmt> extra) {
  std::string raw = co_await cx.random(64);
  if (raw.size() < 64) co_return std::nullopt;
  std::string token = base64_encode(std::string_view(raw).substr(0, 32), true, false);
  Session s;
  s.username = std::move(username);
  s.csrf_token = base64_encode(std::string_view(raw).substr(32, 32), true, false);
  s.must_change_password = must_change;
  auto digest = co_await cx.run({fx::sha256(token)});
  s.token_hash = fx::CryptoResult::of(fx::result_at(digest)).hex;
  if (s.token_hash.empty()) co_return std::nullopt;
  std::vector<fx::Stmt> stmts{session_insert(s, cx.now_ms, cx.req.ip)};
  for (auto &st : extra) stmts.push_back(std::move(st));
  auto res = co_await cx.run({fx::d1(std::move(stmts))});
  if (!fx::D1Result::of(fx::result_at(res)).ok) co_return std::nullopt;
  s.expires_at = cx.now_ms + kSessionTtlMs;
  s.reissued_at = cx.now_ms;
  s.created_at = cx.now_ms;
  call.extra.emplace_back("set-cookie", set_cookie_value(token, kSessionTtlMs / 1000));
  co_return s;
}

} // namespace g2a::admin
