// POST login, POST logout, GET session, POST password. A deployment with the ADMIN_PASSWORD
// secret set never accepts the seeded admin/admin: until the seeded user's password is first
// set, its password is the secret, and the first login with it stores the secret's hash as the
// password (no forced change: the deployer chose it).
#include "admin/audit.h"
#include "admin/handlers.h"
#include "admin/login_throttle.h"
#include "admin/password.h"
#include "admin/session.h"

namespace g2a::admin {

namespace {

fx::Stmt user_select(std::string_view username) {
  return {"SELECT username, password_hash, password_salt, password_iter, must_change_password, "
          "password_changed_at FROM admin_users WHERE username = ?1",
          json::array({username})};
}

// The seeded user (the migration's admin/admin) whose password has never been set.
bool seeded_user(const json &rows) {
  return rows.is_array() && !rows.empty() && int_or(rows[0], "password_changed_at", 0) == 0;
}

// Checks a login of the seeded user against the ADMIN_PASSWORD secret, spending the same
// PBKDF2 work as a stored-hash check. A secret that breaks the password rules admits nobody.
Task<bool> matches_secret(Ctx &cx, std::string_view username, std::string_view password,
                          const std::string &secret) {
  co_await verify_password(cx, nullptr, password); // the same work as any other login
  if (auto why = password_policy_error(username, secret)) {
    cx.log("error", "ADMIN_PASSWORD is set but not usable (" + *why +
                        "); the admin account cannot log in until it is fixed");
    co_return false;
  }
  co_return ct_equal(password, secret);
}

std::optional<StoredPassword> stored_from_rows(const json &rows) {
  if (!rows.is_array() || rows.empty()) return std::nullopt;
  StoredPassword p;
  p.hash_b64 = str_or(rows[0], "password_hash");
  p.salt_b64 = str_or(rows[0], "password_salt");
  p.iterations = static_cast<int>(int_or(rows[0], "password_iter", kPbkdf2Iterations));
  return p;
}

ApiError locked_error(long long remaining_ms) {
  long long s = retry_after_s(remaining_ms);
  ApiError e = admin_error(429, "too_many_attempts",
                           "Too many failed logins; try again in " + std::to_string((s + 59) / 60) +
                               " minute(s).");
  e.headers = {{"retry-after", std::to_string(s)}};
  return e;
}

ApiError bad_credentials() {
  return admin_error(401, "invalid_credentials", "Invalid username or password.");
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(s.begin());
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  return s;
}

} // namespace

Task<void> login(Ctx &cx, AdminCall &call) {
  // Login needs no CSRF token (there is no session yet), but a browser's cross-site login
  // attempt is still refused.
  if (auto origin = cx.req.header("origin"); origin && *origin != cx.req.origin) {
    fail(cx, call,
         admin_error(403, "csrf_failed", "The Origin header must be this gateway's own origin."));
    co_return;
  }
  const json &u = jget(call.body, "username");
  const json &p = jget(call.body, "password");
  if (!u.is_string() || trimmed(u.get<std::string>()).empty()) {
    fail(cx, call, bad_field("username", "username is required (a string)."));
    co_return;
  }
  if (!p.is_string() || p.get<std::string>().empty()) {
    fail(cx, call, bad_field("password", "password is required (a string)."));
    co_return;
  }
  std::string username = trimmed(u.get<std::string>());
  std::string password = p.get<std::string>();
  if (username.size() > 100 || password.size() > 1024) {
    fail(cx, call, bad_credentials());
    co_return;
  }
  ThrottlePolicy policy;
  ThrottleSubjects subj = throttle_subjects(cx.req.ip, username);
  // The attempt is counted before the password is checked (see login_throttle.h).
  std::vector<fx::Stmt> batch{throttle_prune(policy, cx.now_ms),
                              sessions_delete_expired(cx.now_ms)};
  for (auto &st : throttle_reserve(subj, policy, cx.now_ms)) batch.push_back(std::move(st));
  batch.push_back(user_select(username));
  auto res = co_await cx.run({fx::d1(std::move(batch))});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  Reservation slot = reservation_from(r, 2, policy, cx.now_ms);
  if (!slot.allowed) {
    fail(cx, call, locked_error(slot.retry_ms));
    co_return;
  }
  const json &user_rows = r.rows(4);
  auto stored = stored_from_rows(user_rows);
  bool must_change = user_rows.is_array() && !user_rows.empty() &&
                     int_or(user_rows[0], "must_change_password", 0) != 0;
  const std::string secret = cx.req.var("ADMIN_PASSWORD");
  const bool by_secret = !secret.empty() && stored && seeded_user(user_rows);
  bool ok = by_secret ? co_await matches_secret(cx, username, password, secret)
                      : co_await verify_password(cx, stored ? &*stored : nullptr, password);
  if (!ok) {
    auto fr = co_await cx.run({fx::d1(throttle_lock(subj, policy, cx.now_ms))});
    const auto locked = fx::D1Result::of(fx::result_at(fr));
    long long left = locked.ok ? lock_after_fail(locked, 0, cx.now_ms) : 0;
    if (left > 0) {
      co_await cx.run(
          {fx::d1({audit_stmt(cx, "", "login.locked", subj.user, json{{"ip", subj.ip}})})});
      fail(cx, call, locked_error(left));
    } else {
      fail(cx, call, bad_credentials());
    }
    co_return;
  }
  std::vector<fx::Stmt> extra = throttle_clear(subj);
  extra.push_back({"UPDATE admin_users SET last_login_at = ?2 WHERE username = ?1",
                   json::array({username, cx.now_ms})});
  if (by_secret) {
    // The secret becomes the stored password; from now on the account is like any other.
    auto hashed = co_await hash_password(cx, secret);
    if (!hashed) {
      fail(cx, call, admin_error(500, "crypto_failed", "Could not hash the password."));
      co_return;
    }
    extra.push_back(
        {"UPDATE admin_users SET password_hash = ?2, password_salt = ?3, password_iter = ?4, "
         "must_change_password = 0, password_changed_at = ?5 WHERE username = ?1 AND "
         "password_changed_at = 0",
         json::array(
             {username, hashed->hash_b64, hashed->salt_b64, hashed->iterations, cx.now_ms})});
    extra.push_back(audit_stmt(cx, username, "password.from_secret", username));
    must_change = false;
  }
  extra.push_back(audit_stmt(cx, username, "session.login", username));
  auto s = co_await create_session(cx, call, username, must_change, std::move(extra));
  if (!s) {
    fail(cx, call, storage_error());
    co_return;
  }
  reply(cx, call, 200,
        json{{"username", s->username},
             {"must_change_password", s->must_change_password},
             {"csrf_token", s->csrf_token},
             {"expires_at", s->expires_at}});
}

Task<void> logout(Ctx &cx, AdminCall &call) {
  if (call.authed) {
    auto res =
        co_await cx.run({fx::d1({session_delete(call.session.token_hash),
                                 audit_stmt(cx, call, "session.logout", call.session.username)})});
    if (!fx::D1Result::of(fx::result_at(res)).ok) {
      fail(cx, call, storage_error());
      co_return;
    }
  }
  Headers kept;
  for (auto &kv : call.extra)
    if (kv.first != "set-cookie") kept.push_back(std::move(kv));
  call.extra = std::move(kept);
  call.extra.emplace_back("set-cookie", clear_cookie_value());
  reply(cx, call, 200, json{{"ok", true}});
}

Task<void> session_get(Ctx &cx, AdminCall &call) {
  reply(cx, call, 200,
        json{{"username", call.session.username},
             {"csrf_token", call.session.csrf_token},
             {"must_change_password", call.session.must_change_password},
             {"expires_at", call.session.expires_at}});
  co_return;
}

Task<void> password_change(Ctx &cx, AdminCall &call) {
  const json &cur = jget(call.body, "current_password");
  const json &next = jget(call.body, "new_password");
  if (!cur.is_string() || cur.get<std::string>().empty()) {
    fail(cx, call, bad_field("current_password", "current_password is required (a string)."));
    co_return;
  }
  if (!next.is_string()) {
    fail(cx, call, bad_field("new_password", "new_password is required (a string)."));
    co_return;
  }
  std::string current = cur.get<std::string>(), fresh = next.get<std::string>();
  const std::string &username = call.session.username;
  if (auto why = password_policy_error(username, fresh)) {
    fail(cx, call, admin_error(400, "weak_password", *why, "new_password"));
    co_return;
  }
  if (fresh == current) {
    fail(cx, call,
         admin_error(400, "weak_password", "The new password must differ from the current one.",
                     "new_password"));
    co_return;
  }
  ThrottlePolicy policy;
  ThrottleSubjects subj = throttle_subjects(cx.req.ip, username);
  std::vector<fx::Stmt> batch = throttle_reserve(subj, policy, cx.now_ms);
  batch.push_back(user_select(username));
  auto res = co_await cx.run({fx::d1(std::move(batch))});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  Reservation slot = reservation_from(r, 0, policy, cx.now_ms);
  if (!slot.allowed) {
    fail(cx, call, locked_error(slot.retry_ms));
    co_return;
  }
  auto stored = stored_from_rows(r.rows(2));
  if (!co_await verify_password(cx, stored ? &*stored : nullptr, current.substr(0, 1024))) {
    auto fr = co_await cx.run({fx::d1(throttle_lock(subj, policy, cx.now_ms))});
    const auto locked = fx::D1Result::of(fx::result_at(fr));
    long long left = locked.ok ? lock_after_fail(locked, 0, cx.now_ms) : 0;
    if (left > 0)
      fail(cx, call, locked_error(left));
    else
      fail(cx, call,
           admin_error(400, "wrong_password", "The current password is not correct.",
                       "current_password"));
    co_return;
  }
  auto hashed = co_await hash_password(cx, fresh);
  if (!hashed) {
    fail(cx, call, admin_error(500, "crypto_failed", "Could not hash the new password."));
    co_return;
  }
  std::vector<fx::Stmt> stmts{
      {"UPDATE admin_users SET password_hash = ?2, password_salt = ?3, password_iter = ?4, "
       "must_change_password = 0, password_changed_at = ?5 WHERE username = ?1",
       json::array({username, hashed->hash_b64, hashed->salt_b64, hashed->iterations, cx.now_ms})},
      {"DELETE FROM admin_sessions WHERE username = ?1 AND token_hash != ?2",
       json::array({username, call.session.token_hash})}};
  for (auto &s : throttle_clear(subj)) stmts.push_back(std::move(s));
  stmts.push_back(audit_stmt(cx, call, "password.change", username));
  auto up = co_await cx.run({fx::d1(std::move(stmts))});
  const auto updated = fx::D1Result::of(fx::result_at(up));
  if (!updated.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  reply(cx, call, 200,
        json{{"ok", true},
             {"username", username},
             {"must_change_password", false},
             {"sessions_revoked", updated.changes(1)}});
}

} // namespace g2a::admin
