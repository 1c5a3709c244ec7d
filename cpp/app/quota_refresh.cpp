// Quota refresh from /rest/rate-limits.
#include "app/quota_refresh.h"
#include "grok/endpoints.h"

#include "app/grok_rest.h"
#include "grok/cookies.h"
#include "grok/rate_limits.h"

#include <algorithm>

namespace g2a::app {

bool quota_stale(const pool::TokenRow &tok, const GrokConfig &cfg, long long now_ms) {
  return std::max(tok.refreshed_at, tok.refresh_failed_at) + cfg.quota_refresh_ms <= now_ms;
}

// The tier statements for what a rate-limits answer showed: the plan name is recorded on any
// account; the tier only on an 'auto' one, only when the evidence is confident and differs.
static std::vector<fx::Stmt> tier_writes(const pool::TokenRow &tok, const grok::TierGuess &g) {
  std::vector<fx::Stmt> out;
  if (!g.plan.empty())
    out.push_back({"UPDATE tokens SET plan = ?2 WHERE id = ?1", json::array({tok.id, g.plan})});
  if (g.confident && g.tier != tok.tier) // nothing to write when it already has that tier
    out.push_back({"UPDATE tokens SET tier = ?2 WHERE id = ?1 AND tier_source = 'auto'",
                   json::array({tok.id, grok::tier_name(g.tier)})});
  return out;
}

Task<QuotaRefresh> refresh_quota(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok,
                                 const grok::ModelInfo &model) {
  std::string cookie = grok::build_cookie(tok.sso, cfg.cookies);
  bool high = model.tier == grok::Tier::Heavy;
  std::optional<grok::QuotaSnapshot> snap;
  for (int shape = 0; shape < 2 && !snap; ++shape) {
    RestCall call;
    call.path = grok::endpoints::kRateLimits;
    call.cookie = cookie;
    call.timeout_ms = 10000;
    call.body = shape == 0 ? grok::rate_limits_body_new(model.bucket)
                           : grok::rate_limits_body_legacy(model.legacy_model);
    RestReply r = co_await grok_rest(cx, cfg, call);
    if (r.ok())
      snap = grok::parse_rate_limits(r.body, high);
    else if (r.fault.failure == answer::Failure::AuthInvalid)
      break;
  }
  QuotaRefresh out;
  if (snap) out.tier = grok::guess_tier(model.bucket, *snap, snap->plan);
  std::vector<fx::Stmt> stmts = tier_writes(tok, out.tier);
  if (!snap || !snap->known) {
    // Remembered for the refresh interval, so the next chats do not ask again.
    stmts.push_back({"INSERT INTO token_buckets (token_id, bucket, refresh_failed_at) "
                     "VALUES (?1, ?2, ?3) ON CONFLICT (token_id, bucket) DO UPDATE SET "
                     "refresh_failed_at = excluded.refresh_failed_at",
                     json::array({tok.id, model.bucket, cx.now_ms})});
    co_await cx.run({fx::d1(std::move(stmts))});
    co_return out;
  }
  stmts.push_back(
      {"INSERT INTO token_buckets (token_id, bucket, remaining, total, window_s, refreshed_at) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (token_id, bucket) DO UPDATE SET "
       "remaining = excluded.remaining, total = excluded.total, window_s = excluded.window_s, "
       "refreshed_at = excluded.refreshed_at",
       json::array({tok.id, model.bucket, snap->remaining, snap->total,
                    snap->window_s > 0 ? json(snap->window_s) : json(nullptr), cx.now_ms})});
  co_await cx.run({fx::d1(std::move(stmts))});
  out.known = true;
  co_return out;
}

} // namespace g2a::app
