// How the admin sees the Grok account pool (pure): one token row and its quota buckets as
// JSON with the secret only masked, the token's state (active, cooling, invalid, disabled),
// the pool counts, and the validation of the writable fields (tier, note, enabled).
#pragma once

#include "admin/call.h"
#include "http/api_result.h"

#include <map>
#include <string>

namespace g2a::admin {

// Columns the views need (the sso is read only to be masked).
inline constexpr const char *kTokenColumns =
    "id, sso, tier, tier_source, plan, status, status_reason, enabled, note, created_at, "
    "last_used_at, "
    "last_success_at, failures, consecutive_failures, cooldown_until, inflight, inflight_at";
inline constexpr const char *kBucketColumns =
    "token_id, bucket, remaining, total, window_s, refreshed_at, cooling_until, cooling_reason";

// "disabled" (enabled = 0), "invalid", "cooling" (failure cooldown or any bucket cooling), or
// "active". Every token is exactly one of them.
std::string token_state(const json &token_row, const json &bucket_rows, long long now_ms);

json bucket_json(const json &bucket_row);
// The list entry: contract fields plus `state`. bucket_rows: this token's rows only.
json token_json(const json &token_row, const json &bucket_rows, long long now_ms);
// Groups bucket rows by token_id.
std::map<std::string, json> buckets_by_token(const json &bucket_rows);

struct PoolCountsView {
  long long total = 0, active = 0, invalid = 0, disabled = 0, cooling = 0;
  json to_json() const;
};
// SQL computing the same counts as token_state over the whole table (?1 = now).
fx::Stmt pool_counts_stmt(long long now_ms);
PoolCountsView pool_counts_from_rows(const json &rows);

// Validation of POST/PATCH fields; each returns the valid value or the error naming the field.
// tier: basic | super | heavy (source "admin"), or "auto" (tier "basic" until a quota refresh
// detects it, source "auto").
struct TierChoice {
  std::string tier;   // basic | super | heavy
  std::string source; // admin | auto
};
ApiResult<TierChoice> check_tier(const json &v);
// At most 500 bytes, no control characters but tab.
ApiResult<std::string> check_note(const json &v);

} // namespace g2a::admin
