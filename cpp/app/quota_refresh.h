// Lazy quota knowledge: after a request has been answered, an account whose bucket is older
// than quota_refresh_s is asked /rest/rate-limits (newest body shape, then legacy) and the
// bucket row updated. Never on the request's critical path; a failure changes nothing.
#pragma once

#include "app/grok_config.h"
#include "grok/models.h"
#include "pool/token_pool.h"

namespace g2a::app {

bool quota_stale(const pool::TokenRow &tok, const GrokConfig &cfg, long long now_ms);
Task<bool> refresh_quota(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok,
                         const grok::ModelInfo &model);

} // namespace g2a::app
