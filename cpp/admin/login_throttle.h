// The login throttle: attempts are counted per client IP and per username; 5 unsuccessful
// ones within 15 minutes lock that subject for 15 minutes (answered 429 with retry-after).
// Each attempt is reserved — counted atomically, one UPSERT per subject in the same D1 batch
// that reads the user — before the password is checked, so parallel attempts cannot all slip
// in before the first failure is recorded: only attempts reserved within the limit are
// checked. A success deletes both counters; a wrong password leaves its reservation counted
// and locks the subjects whose count has reached the limit.
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

// Counts this attempt for each subject (ip, then user); each statement RETURNs the count and
// locked_until. A window that has passed, or a lock that has ended, starts the count again;
// an active lock is never cleared by it.
std::vector<fx::Stmt> throttle_reserve(const ThrottleSubjects &s, const ThrottlePolicy &p,
                                       long long now_ms);

struct Reservation {
  bool allowed = true;    // this attempt may check the password
  long long retry_ms = 0; // when refused: how long until it is worth trying again
};
// From the two results of throttle_reserve (statements first_stmt, first_stmt + 1). Refused
// while a lock is active or when more attempts than allowed are counted in the window (some
// may still be in flight: the lock they will set is not there yet).
Reservation reservation_from(const fx::D1Result &d1_result, int first_stmt, const ThrottlePolicy &p,
                             long long now_ms);
// Seconds for retry-after (at least 1).
long long retry_after_s(long long remaining_ms);
// After a wrong password: locks each subject whose count has reached the limit; each
// statement RETURNs locked_until (no row when that subject is not locked).
std::vector<fx::Stmt> throttle_lock(const ThrottleSubjects &s, const ThrottlePolicy &p,
                                    long long now_ms);
// After throttle_lock: the lock the failure caused (0 when none), from its two results.
long long lock_after_fail(const fx::D1Result &d1_result, int first_stmt, long long now_ms);
std::vector<fx::Stmt> throttle_clear(const ThrottleSubjects &s);
// Housekeeping: rows whose window and lock have both passed.
fx::Stmt throttle_prune(const ThrottlePolicy &p, long long now_ms);

} // namespace g2a::admin
