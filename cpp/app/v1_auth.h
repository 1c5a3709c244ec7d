// Authorises a /v1 request: the bearer key (hashed with WebCrypto, looked up in D1 together
// with the settings, in one batch) and whether it may use the requested model. On failure the
// error has been sent and logged through the V1Call.
#pragma once

#include "app/settings.h"
#include "app/v1_call.h"
#include "auth/api_keys.h"

#include <optional>

namespace g2a::app {

struct Authorized {
  auth::ApiKey key;
  Settings settings;
};

Task<std::optional<Authorized>> authorize(Ctx &cx, V1Call &call, std::string_view model);

} // namespace g2a::app
