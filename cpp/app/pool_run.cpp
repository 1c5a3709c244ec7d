// PoolRun implementation.
#include "app/pool_run.h"

#include "core/time.h"
#include "grok/cookies.h"

#include <algorithm>
#include <utility>

namespace g2a::app {

std::vector<fx::Stmt> PoolRun::reads(const grok::ModelInfo &model, long long now_ms) {
  return pool::candidates_query(model.tier, model.bucket, now_ms);
}

Task<std::optional<ApiError>> PoolRun::begin(Ctx &cx, const auth::ApiKey &key,
                                             const auth::Charge &charge, const json &pool_reads) {
  key_ = key;
  charge_ = charge;
  day_ = local_day(cx.now_ms, cx.req.var_int("CACHE_RESET_TZ_OFFSET_MINUTES", 480));
  rows_ = pool::rows_from_d1(jget(pool_reads, 0));
  counts_ = pool::counts_from_d1(jget(pool_reads, 1));
  // [0] usage row, [1] the charge, [2] the best account if the charge changed its row,
  // [last] the key's last use.
  std::vector<fx::Stmt> stmts = auth::quota_charge(key_, day_, charge_);
  auto candidates = ranked(cx.now_ms);
  const pool::TokenRow *first = candidates.empty() ? nullptr : candidates.front();
  if (first) stmts.push_back(pool::reserve(*first, cfg_.limits, cx.now_ms, true));
  stmts.push_back(auth::key_touch(key_, cx.now_ms));
  auto res = co_await cx.run({fx::d1(std::move(stmts))});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) co_return storage_unavailable();
  if (r.changes(1) != 1) co_return auth::quota_exceeded_error(charge_);
  if (first) {
    tried_.insert(first->id);
    if (r.changes(2) == 1) reserved_ = first;
  }
  co_return std::nullopt;
}

std::vector<const pool::TokenRow *> PoolRun::ranked(long long now_ms) const {
  auto out = pool::rank(rows_, cfg_.limits, now_ms, tried_);
  if (!prefer_.empty()) {
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const pool::TokenRow *t) { return t->id == prefer_; });
    if (it != out.end()) std::rotate(out.begin(), it, it + 1);
  }
  return out;
}

void PoolRun::load(const json &pool_reads) {
  rows_ = pool::rows_from_d1(jget(pool_reads, 0));
  counts_ = pool::counts_from_d1(jget(pool_reads, 1));
}

void PoolRun::hand_out(V1Call &call, const pool::TokenRow &tok) {
  ++acquired_;
  ++call.attempts;
  call.token_id = tok.id;
  call.token_suffix = grok::token_suffix(tok.sso);
}

Task<const pool::TokenRow *> PoolRun::acquire(Ctx &cx, V1Call &call) {
  if (const pool::TokenRow *tok = std::exchange(reserved_, nullptr)) {
    hand_out(call, *tok);
    co_return tok;
  }
  for (const pool::TokenRow *cand : ranked(cx.now_ms)) {
    tried_.insert(cand->id);
    auto rr = co_await cx.run({fx::d1({pool::reserve(*cand, cfg_.limits, cx.now_ms)})});
    if (fx::D1Result::of(fx::result_at(rr)).changes(0) == 1) {
      hand_out(call, *cand);
      co_return cand;
    }
  }
  co_return nullptr;
}

std::vector<fx::Stmt> PoolRun::after_attempt(const pool::TokenRow &tok, const answer::Fault &o,
                                             bool skip_outcome, long long now_ms) const {
  std::vector<fx::Stmt> after{pool::release(tok.id, now_ms)};
  if (!skip_outcome)
    for (auto &s : pool::record_outcome(tok, model_.bucket, o, cfg_.health, now_ms))
      after.push_back(s);
  return after;
}

Task<void> PoolRun::finish(Ctx &cx, const pool::TokenRow &tok, const answer::Fault &o,
                           bool skip_outcome) {
  co_await cx.run({fx::d1(after_attempt(tok, o, skip_outcome, cx.now_ms))});
}

void PoolRun::finish_with_log(V1Call &call, const pool::TokenRow &tok, const answer::Fault &o,
                              bool skip_outcome, long long now_ms) {
  for (auto &s : after_attempt(tok, o, skip_outcome, now_ms)) call.closing.push_back(std::move(s));
}

Task<void> PoolRun::refund(Ctx &cx) {
  co_await cx.run({fx::d1({auth::quota_refund(key_, day_, charge_)})});
}

void PoolRun::refund_with_log(V1Call &call) {
  call.closing.push_back(auth::quota_refund(key_, day_, charge_));
}

ApiError PoolRun::no_token_error(long long now_ms) const {
  return pool::no_token_error(rows_, counts_, model_.tier, cfg_.limits, now_ms);
}

} // namespace g2a::app
