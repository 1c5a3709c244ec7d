// The Grok account pool policy: which accounts may serve a request (tier, health, cooling,
// quota, in-flight cap), in which order (cheapest sufficient tier, most known quota, least
// recently used), how an attempt's outcome changes an account's state, and what to tell the
// client when no account can serve. Pure decisions plus the parameterised SQL that applies them.
#pragma once

#include "answer/events.h"
#include "answer/fault.h"
#include "core/effects.h"
#include "grok/models.h"
#include "http/api_error.h"

#include <set>
#include <string>
#include <vector>

namespace g2a::pool {

struct TokenRow {
  std::string id;
  std::string sso;
  std::string user_id;
  grok::Tier tier = grok::Tier::Basic;
  int consecutive_failures = 0;
  long long cooldown_until = 0;
  long long last_used_at = 0;
  long long inflight = 0;
  long long inflight_at = 0;
  // quota bucket of the requested mode
  long long remaining = -1; // -1: unknown
  long long total = -1;
  long long window_s = -1;
  long long refreshed_at = 0;
  long long refresh_failed_at = 0; // the last failed quota refresh (remembered like a success)
  long long cooling_until = 0;
};

struct PoolCounts {
  long long total = 0;   // every account
  long long usable = 0;  // enabled and not invalid
  long long of_tier = 0; // usable and of a sufficient tier
  int best_tier = -1;    // the highest tier among usable accounts (grok::Tier), -1: none
};

struct PoolLimits {
  long long max_inflight = 4;
  long long inflight_ttl_ms = 10 * 60 * 1000; // an in-flight mark older than this is stale
};

// [candidates of a sufficient tier with the bucket's state, counts for error reporting].
std::vector<fx::Stmt> candidates_query(grok::Tier min_tier, std::string_view bucket,
                                       long long now_ms);
std::vector<TokenRow> rows_from_d1(const json &rows);
PoolCounts counts_from_d1(const json &rows);

bool eligible(const TokenRow &t, const PoolLimits &lim, long long now_ms);
// Eligible accounts in preference order, skipping `exclude` (already tried).
std::vector<const TokenRow *> rank(const std::vector<TokenRow> &rows, const PoolLimits &lim,
                                   long long now_ms, const std::set<std::string> &exclude);
// The answer when nobody can serve: 503 (none configured / none of the tier / all invalid,
// not retryable) or 429 with retry-after (all cooling or busy).
ApiError no_token_error(const std::vector<TokenRow> &rows, const PoolCounts &counts,
                        grok::Tier min_tier, const PoolLimits &lim, long long now_ms);

// Conditional reservation of one in-flight slot: changes 1 row on success. `after_charge`:
// the statement runs in the same D1 batch right after the key's quota charge and reserves
// nothing unless that charge changed its row (SQLite's changes()), so a refused charge never
// touches an account.
fx::Stmt reserve(const TokenRow &t, const PoolLimits &lim, long long now_ms,
                 bool after_charge = false);
fx::Stmt release(std::string_view token_id, long long now_ms);

struct HealthPolicy {
  long long failure_threshold = 3;
  long long failure_cooldown_s = 60;
  long long rate_limit_cooldown_s = 3600;
};

// True when this failure is the account's own (it changes the account's state).
bool penalizes(answer::Failure f);
// True when another account may succeed where this one failed.
bool retry_elsewhere(answer::Failure f);
// Statements recording an attempt's outcome (its Fault; ok() = success) for the account and
// its bucket.
std::vector<fx::Stmt> record_outcome(const TokenRow &t, std::string_view bucket,
                                     const answer::Fault &o, const HealthPolicy &p,
                                     long long now_ms);

} // namespace g2a::pool
