// Pool policy and its SQL.
#include "pool/token_pool.h"

#include <algorithm>

namespace g2a::pool {

namespace {
const char *kTierRank = "(CASE t.tier WHEN 'basic' THEN 0 WHEN 'super' THEN 1 ELSE 2 END)";
}

std::vector<fx::Stmt> candidates_query(grok::Tier min_tier, std::string_view bucket,
                                       long long now_ms) {
  int need = static_cast<int>(min_tier);
  std::string rank = kTierRank;
  std::vector<fx::Stmt> out;
  out.push_back({"SELECT t.id, t.sso, t.tier, t.user_id, t.consecutive_failures, t.cooldown_until, "
                 "t.last_used_at, t.inflight, t.inflight_at, b.remaining, b.total, b.window_s, "
                 "b.refreshed_at, b.refresh_failed_at, b.cooling_until FROM tokens t "
                 "LEFT JOIN token_buckets b ON b.token_id = t.id AND b.bucket = ?1 "
                 "WHERE t.enabled = 1 AND t.status = 'active' AND " +
                     rank +
                     " >= ?2 "
                     "ORDER BY (COALESCE(b.cooling_until, 0) > ?3), (t.cooldown_until > ?3), " +
                     rank + ", COALESCE(b.remaining, 1000000000) DESC, t.last_used_at ASC LIMIT 64",
                 json::array({bucket, need, now_ms})});
  out.push_back({"SELECT COUNT(*) AS total, "
                 "COALESCE(SUM(t.enabled = 1 AND t.status = 'active'), 0) AS usable, "
                 "COALESCE(SUM(t.enabled = 1 AND t.status = 'active' AND " +
                     rank +
                     " >= ?1), 0) AS of_tier, COALESCE(MAX(CASE WHEN t.enabled = 1 AND "
                     "t.status = 'active' THEN " +
                     rank + " END), -1) AS best_tier FROM tokens t",
                 json::array({need})});
  return out;
}

std::vector<TokenRow> rows_from_d1(const json &rows) {
  std::vector<TokenRow> out;
  if (!rows.is_array()) return out;
  for (const auto &r : rows) {
    TokenRow t;
    t.id = str_or(r, "id");
    t.sso = str_or(r, "sso");
    t.user_id = str_or(r, "user_id");
    grok::parse_tier(str_or(r, "tier", "basic"), t.tier);
    t.consecutive_failures = static_cast<int>(int_or(r, "consecutive_failures"));
    t.cooldown_until = int_or(r, "cooldown_until");
    t.last_used_at = int_or(r, "last_used_at");
    t.inflight = int_or(r, "inflight");
    t.inflight_at = int_or(r, "inflight_at");
    const json &rem = jget(r, "remaining");
    t.remaining = rem.is_number_integer() ? rem.get<long long>() : -1;
    t.total = int_or(r, "total", -1);
    t.window_s = int_or(r, "window_s", -1);
    t.refreshed_at = int_or(r, "refreshed_at");
    t.refresh_failed_at = int_or(r, "refresh_failed_at");
    t.cooling_until = int_or(r, "cooling_until");
    if (!t.id.empty() && !t.sso.empty()) out.push_back(std::move(t));
  }
  return out;
}

PoolCounts counts_from_d1(const json &rows) {
  PoolCounts c;
  if (rows.is_array() && !rows.empty()) {
    c.total = int_or(rows[0], "total");
    c.usable = int_or(rows[0], "usable");
    c.of_tier = int_or(rows[0], "of_tier");
    c.best_tier = static_cast<int>(int_or(rows[0], "best_tier", -1));
  }
  return c;
}

static long long effective_inflight(const TokenRow &t, const PoolLimits &lim, long long now) {
  return t.inflight_at + lim.inflight_ttl_ms < now ? 0 : t.inflight;
}

static bool quota_left(const TokenRow &t, long long now) {
  if (t.remaining != 0) return true; // unknown or positive
  // Known to be exhausted; assume it reset once its window has passed.
  return t.window_s > 0 && t.refreshed_at + t.window_s * 1000 <= now;
}

bool eligible(const TokenRow &t, const PoolLimits &lim, long long now) {
  return t.cooldown_until <= now && t.cooling_until <= now && quota_left(t, now) &&
         effective_inflight(t, lim, now) < lim.max_inflight;
}

std::vector<const TokenRow *> rank(const std::vector<TokenRow> &rows, const PoolLimits &lim,
                                   long long now, const std::set<std::string> &exclude) {
  std::vector<const TokenRow *> out;
  for (const auto &t : rows)
    if (!exclude.count(t.id) && eligible(t, lim, now)) out.push_back(&t);
  std::stable_sort(out.begin(), out.end(), [&](const TokenRow *a, const TokenRow *b) {
    if (a->tier != b->tier) return a->tier < b->tier;
    long long ra = a->remaining < 0 ? (1LL << 40) : a->remaining;
    long long rb = b->remaining < 0 ? (1LL << 40) : b->remaining;
    if (ra != rb) return ra > rb;
    long long ia = effective_inflight(*a, lim, now), ib = effective_inflight(*b, lim, now);
    if (ia != ib) return ia < ib;
    return a->last_used_at < b->last_used_at;
  });
  return out;
}

// Names the tier the model needs and, when the accounts here have a lower one, the model ids
// they can serve (public ones, in catalogue order).
static std::string missing_tier_message(grok::Tier need, int best) {
  std::string m = std::string("This model needs a Grok account of tier '") + grok::tier_name(need) +
                  "' or above";
  if (best < 0 || best >= static_cast<int>(need)) return m + "; none is available.";
  auto have = static_cast<grok::Tier>(best);
  m += std::string("; the accounts on this gateway are '") + grok::tier_name(have) +
       "' at best. Models they can serve:";
  bool first = true;
  for (const auto &mi : grok::models()) {
    if (!mi.public_listing || static_cast<int>(mi.tier) > best) continue;
    m += first ? " " : ", ";
    m += mi.id;
    first = false;
  }
  return m + ".";
}

ApiError no_token_error(const std::vector<TokenRow> &rows, const PoolCounts &counts,
                        grok::Tier min_tier, const PoolLimits &lim, long long now) {
  ApiError e;
  if (counts.usable == 0 || counts.of_tier == 0 || rows.empty()) {
    e.status = 503;
    e.type = "service_unavailable_error";
    e.code = "no_available_token";
    if (counts.total == 0)
      e.message = "No Grok account is configured on this gateway; add sso tokens in the admin.";
    else if (counts.usable == 0)
      e.message = "Every Grok account on this gateway is disabled or invalid.";
    else
      e.message = missing_tier_message(min_tier, counts.best_tier);
    e.headers = {{"x-should-retry", "false"}};
    return e;
  }
  // Accounts exist but all are cooling, exhausted or busy: tell the client when to retry.
  long long soonest = -1;
  bool busy = false;
  for (const auto &t : rows) {
    long long at = std::max(t.cooldown_until, t.cooling_until);
    if (t.remaining == 0 && t.window_s > 0) at = std::max(at, t.refreshed_at + t.window_s * 1000);
    if (at <= now) {
      busy = busy || effective_inflight(t, lim, now) >= lim.max_inflight;
      at = now + 1000;
    }
    if (soonest < 0 || at < soonest) soonest = at;
  }
  long long wait_s = std::max<long long>(1, (soonest - now + 999) / 1000);
  e.status = 429;
  e.type = "rate_limit_error";
  e.code = "rate_limit_exceeded";
  e.message = busy ? "Every Grok account is busy; retry in a moment."
                   : "Every Grok account is rate limited for this model; retry in " +
                         std::to_string(wait_s) + " s.";
  e.headers = {{"retry-after", std::to_string(wait_s)}};
  return e;
}

fx::Stmt reserve(const TokenRow &t, const PoolLimits &lim, long long now, bool after_charge) {
  long long stale = now - lim.inflight_ttl_ms;
  std::string sql =
      "UPDATE tokens SET inflight = CASE WHEN inflight_at < ?3 THEN 1 ELSE inflight + 1 END, "
      "inflight_at = ?2, last_used_at = ?2, requests = requests + 1 "
      "WHERE id = ?1 AND enabled = 1 AND status = 'active' AND cooldown_until <= ?2 "
      "AND (inflight < ?4 OR inflight_at < ?3)";
  if (after_charge) sql += " AND changes() = 1";
  return {std::move(sql), json::array({t.id, now, stale, lim.max_inflight})};
}

fx::Stmt release(std::string_view token_id, long long now) {
  return {"UPDATE tokens SET inflight = MAX(inflight - 1, 0), inflight_at = ?2 WHERE id = ?1",
          json::array({token_id, now})};
}

bool penalizes(answer::Failure f) {
  using F = answer::Failure;
  switch (f) {
  case F::AuthInvalid:
  case F::RateLimited:
  case F::ModelUnavailable:
  case F::Upstream5xx:
  case F::Network:
  case F::Timeout:
  case F::BadResponse:
    return true;
  default:
    return false;
  }
}

bool retry_elsewhere(answer::Failure f) {
  using F = answer::Failure;
  switch (f) {
  case F::AuthInvalid:
  case F::RateLimited:
  case F::ModelUnavailable:
  case F::ResourceExhausted:
  case F::Upstream5xx:
  case F::Network:
  case F::Timeout:
  case F::BadResponse:
    return true;
  default:
    return false;
  }
}

static std::string clip(std::string s) {
  if (s.size() > 200) s.resize(200);
  return s;
}

std::vector<fx::Stmt> record_outcome(const TokenRow &t, std::string_view bucket,
                                     const answer::Fault &o, const HealthPolicy &p, long long now) {
  using F = answer::Failure;
  std::vector<fx::Stmt> out;
  std::string reason = clip(std::string(answer::failure_name(o.failure)) +
                            (o.detail.empty() ? "" : ": " + o.detail));
  switch (o.failure) {
  case F::None:
    out.push_back({"UPDATE tokens SET consecutive_failures = 0, cooldown_until = 0, "
                   "last_success_at = ?2 WHERE id = ?1",
                   json::array({t.id, now})});
    out.push_back({"UPDATE token_buckets SET remaining = MAX(remaining - 1, 0) "
                   "WHERE token_id = ?1 AND bucket = ?2 AND remaining IS NOT NULL",
                   json::array({t.id, bucket})});
    break;
  case F::AuthInvalid:
    out.push_back({"UPDATE tokens SET status = 'invalid', status_reason = ?3, failures = failures "
                   "+ 1, last_failure_at = ?2, last_failure_reason = ?3 WHERE id = ?1",
                   json::array({t.id, now, reason})});
    break;
  case F::RateLimited:
  case F::ModelUnavailable: {
    long long secs = o.retry_after_s > 0                ? o.retry_after_s
                     : o.failure == F::ModelUnavailable ? 6 * 3600
                     : t.window_s > 0 ? std::min(t.window_s, p.rate_limit_cooldown_s * 24)
                                      : p.rate_limit_cooldown_s;
    out.push_back(
        {"INSERT INTO token_buckets (token_id, bucket, remaining, refreshed_at, cooling_until, "
         "cooling_reason) VALUES (?1, ?2, 0, ?3, ?4, ?5) ON CONFLICT (token_id, bucket) DO UPDATE "
         "SET remaining = 0, refreshed_at = excluded.refreshed_at, cooling_until = "
         "excluded.cooling_until, cooling_reason = excluded.cooling_reason",
         json::array({t.id, bucket, now, now + secs * 1000, reason})});
    out.push_back({"UPDATE tokens SET failures = failures + 1, last_failure_at = ?2, "
                   "last_failure_reason = ?3 WHERE id = ?1",
                   json::array({t.id, now, reason})});
    break;
  }
  case F::Upstream5xx:
  case F::Network:
  case F::Timeout:
  case F::BadResponse:
    // Consecutive failures past the threshold: a short, doubling cooldown (half-open: the
    // account is tried again afterwards, and one success resets everything).
    out.push_back(
        {"UPDATE tokens SET consecutive_failures = consecutive_failures + 1, failures = failures "
         "+ 1, last_failure_at = ?2, last_failure_reason = ?3, cooldown_until = CASE WHEN "
         "consecutive_failures + 1 >= ?4 THEN ?2 + ?5 * (1 << MIN(consecutive_failures + 1 - ?4, "
         "4)) ELSE cooldown_until END WHERE id = ?1",
         json::array({t.id, now, reason, p.failure_threshold, p.failure_cooldown_s * 1000})});
    break;
  default:
    // Not the account's fault (anti-bot, challenge, moderation, overload): note it only.
    out.push_back({"UPDATE tokens SET last_failure_at = ?2, last_failure_reason = ?3 WHERE id = ?1",
                   json::array({t.id, now, reason})});
    break;
  }
  return out;
}

} // namespace g2a::pool
