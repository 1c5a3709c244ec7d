// Login throttle decisions and SQL.
#include "admin/login_throttle.h"
#include "core/text.h"

#include <algorithm>

namespace g2a::admin {

ThrottleSubjects throttle_subjects(std::string_view ip, std::string_view username) {
  ThrottleSubjects s;
  s.ip = ip.empty() ? "unknown" : std::string(ip.substr(0, 100));
  while (!username.empty() && (username.front() == ' ' || username.front() == '\t'))
    username.remove_prefix(1);
  while (!username.empty() && (username.back() == ' ' || username.back() == '\t'))
    username.remove_suffix(1);
  s.user = text::lower(username.substr(0, 100));
  return s;
}

std::vector<fx::Stmt> throttle_reserve(const ThrottleSubjects &s, const ThrottlePolicy &p,
                                       long long now) {
  // ?3 now, ?4 window. Restart: no active lock, and the window has passed or a lock has ended.
  const std::string restart = "(locked_until <= ?3 AND (first_at <= ?3 - ?4 OR locked_until > 0))";
  const std::string sql =
      "INSERT INTO login_attempts (scope, subject, failures, first_at, locked_until) "
      "VALUES (?1, ?2, 1, ?3, 0) ON CONFLICT (scope, subject) DO UPDATE SET failures = CASE "
      "WHEN " +
      restart + " THEN 1 ELSE failures + 1 END, first_at = CASE WHEN " + restart +
      " THEN ?3 ELSE first_at END, locked_until = CASE WHEN " + restart +
      " THEN 0 ELSE locked_until END RETURNING failures, locked_until";
  return {{sql, json::array({"ip", s.ip, now, p.window_ms})},
          {sql, json::array({"user", s.user, now, p.window_ms})}};
}

Reservation reservation_from(const fx::D1Result &d1_result, int first_stmt, const ThrottlePolicy &p,
                             long long now) {
  Reservation r;
  for (int i = first_stmt; i < first_stmt + 2; ++i) {
    const json &rows = d1_result.rows(static_cast<size_t>(i));
    if (!rows.is_array() || rows.empty()) {
      r.allowed = false; // the attempt could not be counted: do not check the password
      r.retry_ms = std::max(r.retry_ms, 1000LL);
      continue;
    }
    long long n = int_or(rows[0], "failures"), until = int_or(rows[0], "locked_until");
    if (until > now) {
      r.allowed = false;
      r.retry_ms = std::max(r.retry_ms, until - now);
    } else if (n > p.max_failures) {
      // Over the limit, the lock not set yet: the attempts ahead are still being checked.
      r.allowed = false;
      r.retry_ms = std::max(r.retry_ms, p.lock_ms);
    }
  }
  return r;
}

long long retry_after_s(long long remaining_ms) {
  return std::max<long long>(1, (remaining_ms + 999) / 1000);
}

std::vector<fx::Stmt> throttle_lock(const ThrottleSubjects &s, const ThrottlePolicy &p,
                                    long long now) {
  const std::string sql = "UPDATE login_attempts SET locked_until = ?3 + ?5 WHERE scope = ?1 "
                          "AND subject = ?2 AND failures >= ?4 AND locked_until <= ?3 "
                          "RETURNING locked_until";
  return {{sql, json::array({"ip", s.ip, now, p.max_failures, p.lock_ms})},
          {sql, json::array({"user", s.user, now, p.max_failures, p.lock_ms})}};
}

long long lock_after_fail(const fx::D1Result &d1_result, int first_stmt, long long now_ms) {
  long long until = 0;
  for (int i = first_stmt; i < first_stmt + 2; ++i) {
    const json &rows = d1_result.rows(static_cast<size_t>(i));
    if (rows.is_array() && !rows.empty()) until = std::max(until, int_or(rows[0], "locked_until"));
  }
  return until > now_ms ? until - now_ms : 0;
}

std::vector<fx::Stmt> throttle_clear(const ThrottleSubjects &s) {
  return {
      {"DELETE FROM login_attempts WHERE scope = 'ip' AND subject = ?1", json::array({s.ip})},
      {"DELETE FROM login_attempts WHERE scope = 'user' AND subject = ?1", json::array({s.user})}};
}

fx::Stmt throttle_prune(const ThrottlePolicy &p, long long now) {
  return {"DELETE FROM login_attempts WHERE locked_until <= ?1 AND first_at <= ?1 - ?2",
          json::array({now, p.window_ms})};
}

} // namespace g2a::admin
