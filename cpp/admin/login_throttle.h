// The login throttle: failures are counted per client IP and per username; 5 within 15
// minutes lock that subject for 15 minutes (answered 429 with retry-after). A lock is checked
// before the password is, so a locked subject learns nothing. A success deletes both counters.
#pragma once

#include "core/context.h"

#include <string>
#include <string_view>
#include <vector>

namespace g2a::admin {

struct ThrottlePolicy {
  long long max_failures = 5;
  long long window_ms = 15LL * 60 * 1000;
  long long lock_ms = 15LL * 60 * 1000;
};

struct ThrottleSubjects {
  std::string ip;   // cf-connecting-ip, "unknown" when absent
  std::string user; // lower-cased, trimmed, at most 100 bytes
};
ThrottleSubjects throttle_subjects(std::string_view ip, std::string_view username);

// SELECT of both rows (scope, subject, failures, first_at, locked_until).
fx::Stmt throttle_select(const ThrottleSubjects &s);
// Milliseconds until every lock in these rows has ended; 0 when none is active.
long long lock_remaining_ms(const json &rows, long long now_ms);
// Seconds for retry-after (at least 1).
long long retry_after_s(long long remaining_ms);
// Records one failure for each subject; each statement RETURNs failures and locked_until.
std::vector<fx::Stmt> throttle_fail(const ThrottleSubjects &s, const ThrottlePolicy &p,
                                    long long now_ms);
// After throttle_fail: the lock the failure just caused (0 when none), from its two results.
long long lock_after_fail(const json &d1_result, int first_stmt, long long now_ms);
std::vector<fx::Stmt> throttle_clear(const ThrottleSubjects &s);
// Housekeeping: rows whose window and lock have both passed.
fx::Stmt throttle_prune(const ThrottlePolicy &p, long long now_ms);

} // namespace g2a::admin
