// Login throttle decisions and SQL.
#include "admin/login_throttle.h"

#include <algorithm>

namespace g2a::admin {

ThrottleSubjects throttle_subjects(std::string_view ip, std::string_view username) {
  ThrottleSubjects s;
  s.ip = ip.empty() ? "unknown" : std::string(ip.substr(0, 100));
  while (!username.empty() && (username.front() == ' ' || username.front() == '\t'))
    username.remove_prefix(1);
  while (!username.empty() && (username.back() == ' ' || username.back() == '\t'))
    username.remove_suffix(1);
  s.user = std::string(username.substr(0, 100));
  for (auto &c : s.user)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

fx::Stmt throttle_select(const ThrottleSubjects &s) {
  return {"SELECT scope, subject, failures, first_at, locked_until FROM login_attempts "
          "WHERE (scope = 'ip' AND subject = ?1) OR (scope = 'user' AND subject = ?2)",
          json::array({s.ip, s.user})};
}

long long lock_remaining_ms(const json &rows, long long now_ms) {
  long long until = 0;
  if (rows.is_array())
    for (const auto &r : rows) until = std::max(until, int_or(r, "locked_until"));
  return until > now_ms ? until - now_ms : 0;
}

long long retry_after_s(long long remaining_ms) {
  return std::max<long long>(1, (remaining_ms + 999) / 1000);
}

std::vector<fx::Stmt> throttle_fail(const ThrottleSubjects &s, const ThrottlePolicy &p,
                                    long long now) {
  // A window that has passed, or a lock that has ended, starts the count again.
  const std::string restart = "(first_at <= ?3 - ?5 OR (locked_until > 0 AND locked_until <= ?3))";
  const std::string count = "(CASE WHEN " + restart + " THEN 1 ELSE failures + 1 END)";
  std::string sql = "INSERT INTO login_attempts (scope, subject, failures, first_at, locked_until) "
                    "VALUES (?1, ?2, 1, ?3, CASE WHEN 1 >= ?4 THEN ?3 + ?6 ELSE 0 END) "
                    "ON CONFLICT (scope, subject) DO UPDATE SET failures = " +
                    count + ", first_at = CASE WHEN " + restart +
                    " THEN ?3 ELSE first_at END, locked_until = CASE WHEN " + count +
                    " >= ?4 THEN ?3 + ?6 WHEN " + restart +
                    " THEN 0 ELSE locked_until END RETURNING failures, locked_until";
  std::vector<fx::Stmt> out;
  out.push_back({sql, json::array({"ip", s.ip, now, p.max_failures, p.window_ms, p.lock_ms})});
  out.push_back({sql, json::array({"user", s.user, now, p.max_failures, p.window_ms, p.lock_ms})});
  return out;
}

long long lock_after_fail(const json &d1_result, int first_stmt, long long now_ms) {
  long long until = 0;
  for (int i = first_stmt; i < first_stmt + 2; ++i) {
    const json &rows = d1_rows(d1_result, i);
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
