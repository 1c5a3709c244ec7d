// The part of every upstream-calling flow that deals with the pool. Two D1 round trips before
// the upstream call: the candidates are read in authorize()'s batch (reads()), then one batch
// charges the key's daily quota, reserves the best-ranked account (only if the charge passed)
// and touches the key. Further accounts are reserved one at a time (skipping the ones already
// tried); after each attempt the account is released and its outcome recorded.
#pragma once

#include "app/grok_config.h"
#include "app/v1_auth.h"
#include "app/v1_call.h"
#include "auth/api_keys.h"
#include "grok/models.h"
#include "pool/token_pool.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace g2a::app {

class PoolRun {
public:
  PoolRun(const grok::ModelInfo &model, const GrokConfig &cfg) : model_(model), cfg_(cfg) {}

  // The read-only statements that load the pool for `model` (pass them to authorize()).
  static std::vector<fx::Stmt> reads(const grok::ModelInfo &model, long long now_ms);
  // Takes the rows of reads() (authorize()'s Authorized::reads), charges `charge` against the
  // key and reserves the best account in one batch. The error when that failed (quota
  // exceeded, storage down), for the caller to send. After none the caller must call acquire()
  // at least once (it hands over the account reserved here).
  Task<std::optional<ApiError>> begin(Ctx &cx, const auth::ApiKey &key, const auth::Charge &charge,
                                      const json &pool_reads);
  // Takes the rows of reads() without charging anything (a job charged when it was created).
  void load(const json &pool_reads);
  // Tries this account first whenever it is eligible (a continued Grok conversation lives on
  // it); the others follow in rank order. Call before begin().
  void prefer(std::string token_id) { prefer_ = std::move(token_id); }
  // The next account, reserved; nullptr when none is left (see no_token_error()).
  Task<const pool::TokenRow *> acquire(Ctx &cx, V1Call &call);
  // Releases the account and records the attempt's outcome (skip_outcome: the client left).
  Task<void> finish(Ctx &cx, const pool::TokenRow &tok, const answer::Fault &o,
                    bool skip_outcome = false);
  // The same statements, left in call.closing for the batch that writes the log row (the
  // flow's last attempt: nothing else touches the pool after it).
  void finish_with_log(V1Call &call, const pool::TokenRow &tok, const answer::Fault &o,
                       bool skip_outcome, long long now_ms);
  // Refunds the key's charge (when no answer was delivered).
  Task<void> refund(Ctx &cx);
  void refund_with_log(V1Call &call);
  ApiError no_token_error(long long now_ms) const;
  int acquired() const { return acquired_; }

private:
  const grok::ModelInfo &model_;
  const GrokConfig &cfg_;
  auth::ApiKey key_;
  auth::Charge charge_;
  std::string day_;
  std::vector<pool::TokenRow> rows_;
  pool::PoolCounts counts_;
  std::set<std::string> tried_;
  const pool::TokenRow *reserved_ = nullptr; // reserved by begin(), not yet handed out
  int acquired_ = 0;
  std::string prefer_;

  std::vector<const pool::TokenRow *> ranked(long long now_ms) const;
  void hand_out(V1Call &call, const pool::TokenRow &tok);
  std::vector<fx::Stmt> after_attempt(const pool::TokenRow &tok, const answer::Fault &o,
                                      bool skip_outcome, long long now_ms) const;
};

} // namespace g2a::app
