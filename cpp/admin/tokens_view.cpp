// Token views and validation.
#include "admin/tokens_view.h"

#include "grok/cookies.h"
#include "grok/models.h"

namespace g2a::admin {

namespace {
constexpr long long kInflightTtlMs = 10LL * 60 * 1000; // as pool::PoolLimits

json int_or_null(const json &row, const char *key) {
  const json &v = jget(row, key);
  return v.is_number() ? json(int_or(row, key)) : json(nullptr);
}
json str_or_null(const json &row, const char *key) {
  const json &v = jget(row, key);
  return v.is_string() ? v : json(nullptr);
}
} // namespace

std::string token_state(const json &t, const json &buckets, long long now) {
  if (int_or(t, "enabled", 1) == 0) return "disabled";
  if (str_or(t, "status", "active") == "invalid") return "invalid";
  bool cooling = int_or(t, "cooldown_until") > now;
  if (buckets.is_array())
    for (const auto &b : buckets) cooling = cooling || int_or(b, "cooling_until") > now;
  return cooling ? "cooling" : "active";
}

json bucket_json(const json &b) {
  return json{{"bucket", str_or(b, "bucket")},
              {"remaining", int_or_null(b, "remaining")},
              {"total", int_or_null(b, "total")},
              {"window_s", int_or_null(b, "window_s")},
              {"refreshed_at", int_or(b, "refreshed_at")},
              {"cooling_until", int_or(b, "cooling_until")},
              {"cooling_reason", str_or_null(b, "cooling_reason")}};
}

json token_json(const json &t, const json &buckets, long long now) {
  json bl = json::array();
  if (buckets.is_array())
    for (const auto &b : buckets) bl.push_back(bucket_json(b));
  long long inflight = int_or(t, "inflight_at") + kInflightTtlMs < now ? 0 : int_or(t, "inflight");
  return json{{"id", str_or(t, "id")},
              {"tier", str_or(t, "tier", "basic")},
              {"tier_source", str_or(t, "tier_source", "admin")},
              {"plan", str_or_null(t, "plan")},
              {"status", str_or(t, "status", "active")},
              {"status_reason", str_or_null(t, "status_reason")},
              {"enabled", int_or(t, "enabled", 1) != 0},
              {"note", str_or(t, "note")},
              {"masked", grok::mask_token(str_or(t, "sso"))},
              {"created_at", int_or(t, "created_at")},
              {"last_used_at", int_or(t, "last_used_at")},
              {"last_success_at", int_or(t, "last_success_at")},
              {"failures", int_or(t, "failures")},
              {"consecutive_failures", int_or(t, "consecutive_failures")},
              {"cooldown_until", int_or(t, "cooldown_until")},
              {"inflight", inflight},
              {"state", token_state(t, buckets, now)},
              {"buckets", std::move(bl)}};
}

std::map<std::string, json> buckets_by_token(const json &rows) {
  std::map<std::string, json> out;
  if (!rows.is_array()) return out;
  for (const auto &r : rows) {
    auto &list = out[str_or(r, "token_id")];
    if (!list.is_array()) list = json::array();
    list.push_back(r);
  }
  return out;
}

json PoolCountsView::to_json() const {
  return json{{"total", total},
              {"active", active},
              {"invalid", invalid},
              {"disabled", disabled},
              {"cooling", cooling}};
}

fx::Stmt pool_counts_stmt(long long now) {
  return {"SELECT COUNT(*) AS total, COALESCE(SUM(enabled = 0), 0) AS disabled, "
          "COALESCE(SUM(enabled != 0 AND status = 'invalid'), 0) AS invalid, "
          "COALESCE(SUM(enabled != 0 AND status != 'invalid' AND (cooldown_until > ?1 OR EXISTS "
          "(SELECT 1 FROM token_buckets b WHERE b.token_id = t.id AND b.cooling_until > ?1))), 0) "
          "AS cooling FROM tokens t",
          json::array({now})};
}

PoolCountsView pool_counts_from_rows(const json &rows) {
  PoolCountsView c;
  if (!rows.is_array() || rows.empty()) return c;
  c.total = int_or(rows[0], "total");
  c.disabled = int_or(rows[0], "disabled");
  c.invalid = int_or(rows[0], "invalid");
  c.cooling = int_or(rows[0], "cooling");
  c.active = c.total - c.disabled - c.invalid - c.cooling;
  return c;
}

ApiResult<TierChoice> check_tier(const json &v) {
  grok::Tier t;
  if (v.is_string() && v.get<std::string>() == "auto")
    return TierChoice{"basic", "auto"}; // basic until the first quota refresh detects it
  if (!v.is_string() || !grok::parse_tier(v.get<std::string>(), t))
    return bad_field("tier", "tier must be one of: basic, super, heavy, auto.");
  return TierChoice{grok::tier_name(t), "admin"};
}

ApiResult<std::string> check_note(const json &v) {
  if (!v.is_string()) return bad_field("note", "note must be a string.");
  std::string note = v.get<std::string>();
  if (note.size() > 500) return bad_field("note", "note must be at most 500 bytes.");
  for (unsigned char c : note)
    if ((c < 0x20 && c != '\t') || c == 0x7f)
      return bad_field("note", "note must not contain control characters.");
  return note;
}

} // namespace g2a::admin
