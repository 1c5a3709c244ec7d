// Admin sessions: the g2a_session cookie (32 random bytes, base64url; only its SHA-256 is kept
// in D1), its attributes, the 12-hour sliding expiry with a re-issue at most every 10 minutes
// and an absolute end 7 days after the login, and the CSRF rule for state-changing calls
// (X-CSRF-Token equal to the session's token and an Origin equal to the request's own origin). Pure
// parts first, then the flows.
#pragma once

#include "admin/call.h"
#include "core/context.h"
#include "http/api_result.h"

#include <optional>
#include <string>
#include <string_view>

namespace g2a::admin {

inline constexpr std::string_view kCookieName = "g2a_session";
inline constexpr long long kSessionTtlMs = 12LL * 3600 * 1000;
inline constexpr long long kReissueAfterMs = 10LL * 60 * 1000;
inline constexpr long long kSessionMaxLifetimeMs = 7LL * 24 * 3600 * 1000;

// When a session used at now_ms expires: 12 hours later, but never past created_at + 7 days.
long long session_expiry(long long created_at, long long now_ms);

// The session cookie's value from the Cookie header; nullopt when absent or not 43 base64url
// characters (the encoding of 32 bytes).
std::optional<std::string> session_cookie(const Request &req);
// Whether the request presents a session cookie at all, well-formed or not (a stale or broken
// one is cleared when the call is refused).
bool session_cookie_seen(const Request &req);
std::string set_cookie_value(std::string_view token, long long max_age_s);
std::string clear_cookie_value();

bool is_state_changing(std::string_view method); // POST, PUT, PATCH, DELETE

enum class CsrfCheck { Ok, MissingToken, WrongToken, WrongOrigin };
CsrfCheck check_csrf(const Request &req, std::string_view session_csrf);
const char *csrf_message(CsrfCheck c);

bool needs_reissue(const Session &s, long long now_ms);

// SELECT of a live session (and its user's must_change flag) by token hash: not expired and
// created less than 7 days ago.
fx::Stmt session_select(std::string_view token_hash, long long now_ms);
std::optional<Session> session_from_rows(const json &rows);
fx::Stmt session_insert(const Session &s, long long now_ms, std::string_view ip);
fx::Stmt session_slide(std::string_view token_hash, long long created_at, long long now_ms);
fx::Stmt session_delete(std::string_view token_hash);
fx::Stmt sessions_delete_expired(long long now_ms);

// Looks up the request's session: the live session, nullopt when there is none (no cookie, or
// one that matches no live session), or storage_error() when the lookup could not be made. On a
// sliding re-issue it updates D1 and adds the Set-Cookie to call.extra.
Task<ApiResult<std::optional<Session>>> load_session(Ctx &cx, AdminCall &call);

// Creates a session for `username`: random token and CSRF token, stored hash, Set-Cookie in
// call.extra. Returns the session (csrf_token filled) or nullopt when storage failed.
// `extra` statements run in the same batch (e.g. clearing the login throttle, the audit row).
Task<std::optional<Session>> create_session(Ctx &cx, AdminCall &call, std::string username,
                                            bool must_change, std::vector<fx::Stmt> extra);

} // namespace g2a::admin
