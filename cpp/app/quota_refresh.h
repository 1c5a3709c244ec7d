// Lazy quota knowledge: after a request has been answered, an account whose bucket is older
// than quota_refresh_s is asked /rest/rate-limits (newest body shape, then legacy) and the
// bucket row updated. Never on the request's critical path; a failure changes nothing.
// The same answer tells the account's tier (grok/tier_table.h): a plan name it carries is
// stored on the account, and an account whose tier_source is 'auto' gets the tier the plan, else
// a known quota shape, shows; an admin-set tier is left alone.
#pragma once

#include "app/grok_config.h"
#include "grok/models.h"
#include "grok/tier_table.h"
#include "pool/token_pool.h"

namespace g2a::app {

bool quota_stale(const pool::TokenRow &tok, const GrokConfig &cfg, long long now_ms);
struct QuotaRefresh {
  bool known = false;   // Grok told the bucket's quota (the row was updated)
  grok::TierGuess tier; // what the answer showed about the tier (source "none" when nothing)
};
Task<QuotaRefresh> refresh_quota(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok,
                                 const grok::ModelInfo &model);

} // namespace g2a::app
