// Authorises a /v1 request: the bearer key (hashed with WebCrypto, looked up in D1 together
// with the settings, in one batch) and whether it may use the requested model; the error when
// not, for the caller to send through its V1Call (which this fills with the key's id and name
// for the log row whenever the key is known). Callers may add read-only statements of
// their own to that batch (the pool's candidates) to save a D1 round trip before the upstream.
#pragma once

#include "app/settings.h"
#include "app/v1_call.h"
#include "auth/api_keys.h"
#include "http/api_result.h"

#include <optional>

namespace g2a::app {

struct Authorized {
  auth::ApiKey key;
  Settings settings;
  json reads = json::array(); // the rows of each of the caller's `reads`, in order
};

// `reads` must not write: they run even when the key is then refused.
Task<ApiResult<Authorized>> authorize(Ctx &cx, V1Call &call, std::string_view model,
                                      std::vector<fx::Stmt> reads = {});

} // namespace g2a::app
