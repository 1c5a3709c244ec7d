// The part of every upstream-calling flow that deals with the pool: charge the key's daily
// quota and read the candidates in one batch, reserve accounts one at a time (skipping the
// ones already tried), and after each attempt release the account and record its outcome.
#pragma once

#include "app/grok_config.h"
#include "app/v1_auth.h"
#include "app/v1_call.h"
#include "auth/api_keys.h"
#include "grok/models.h"
#include "pool/token_pool.h"

#include <set>
#include <string>
#include <vector>

namespace g2a::app {

class PoolRun {
public:
  PoolRun(const grok::ModelInfo &model, const GrokConfig &cfg) : model_(model), cfg_(cfg) {}

  // Charges `charge` against the key and loads the pool. On failure (quota exceeded, storage
  // down) the error has been sent through `call` and false is returned.
  Task<bool> begin(Ctx &cx, V1Call &call, const auth::ApiKey &key, const auth::Charge &charge);
  // The next account, reserved; nullptr when none is left (see no_token_error()).
  Task<const pool::TokenRow *> acquire(Ctx &cx, V1Call &call);
  // Releases the account and records the attempt's outcome (skip_outcome: the client left).
  Task<void> finish(Ctx &cx, const pool::TokenRow &tok, const pool::Outcome &o,
                    bool skip_outcome = false);
  // Refunds the key's charge (when no answer was delivered).
  Task<void> refund(Ctx &cx);
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
  int acquired_ = 0;
};

} // namespace g2a::app
