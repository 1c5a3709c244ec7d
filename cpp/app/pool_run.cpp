// PoolRun implementation.
#include "app/pool_run.h"

#include "core/time.h"
#include "grok/cookies.h"

namespace g2a::app {

Task<bool> PoolRun::begin(Ctx &cx, V1Call &call, const auth::ApiKey &key,
                          const auth::Charge &charge) {
  key_ = key;
  charge_ = charge;
  day_ = local_day(cx.now_ms, cx.req.var_int("CACHE_RESET_TZ_OFFSET_MINUTES", 480));
  std::vector<fx::Stmt> stmts = auth::quota_charge(key_, day_, charge_);
  for (auto &s : pool::candidates_query(model_.tier, model_.bucket, cx.now_ms)) stmts.push_back(s);
  stmts.push_back(auth::key_touch(key_, cx.now_ms));
  auto res = co_await cx.run({fx::d1(std::move(stmts))});
  const json r = res.empty() ? json() : res[0];
  if (!bool_or(r, "ok")) {
    call.fail(cx, storage_unavailable());
    co_return false;
  }
  if (d1_changes(r, 1) != 1) {
    call.fail(cx, auth::quota_exceeded_error(charge_));
    co_return false;
  }
  rows_ = pool::rows_from_d1(d1_rows(r, 2));
  counts_ = pool::counts_from_d1(d1_rows(r, 3));
  co_return true;
}

Task<const pool::TokenRow *> PoolRun::acquire(Ctx &cx, V1Call &call) {
  for (const pool::TokenRow *cand : pool::rank(rows_, cfg_.limits, cx.now_ms, tried_)) {
    tried_.insert(cand->id);
    auto rr = co_await cx.run({fx::d1({pool::reserve(*cand, cfg_.limits, cx.now_ms)})});
    if (!rr.empty() && d1_changes(rr[0]) == 1) {
      ++acquired_;
      ++call.attempts;
      call.token_id = cand->id;
      call.token_suffix = grok::token_suffix(cand->sso);
      co_return cand;
    }
  }
  co_return nullptr;
}

Task<void> PoolRun::finish(Ctx &cx, const pool::TokenRow &tok, const pool::Outcome &o,
                           bool skip_outcome) {
  std::vector<fx::Stmt> after{pool::release(tok.id, cx.now_ms)};
  if (!skip_outcome)
    for (auto &s : pool::record_outcome(tok, model_.bucket, o, cfg_.health, cx.now_ms))
      after.push_back(s);
  co_await cx.run({fx::d1(std::move(after))});
}

Task<void> PoolRun::refund(Ctx &cx) {
  co_await cx.run({fx::d1({auth::quota_refund(key_, day_, charge_)})});
}

ApiError PoolRun::no_token_error(long long now_ms) const {
  return pool::no_token_error(rows_, counts_, model_.tier, cfg_.limits, now_ms);
}

} // namespace g2a::app
