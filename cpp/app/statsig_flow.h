// x-statsig-id for upstream REST calls: the manual value, or one generated locally from the
// seed + animation key (SHA-256 from WebCrypto through an effect). When the local material is
// missing or reported out of date, it is re-derived from the Grok home page (seed meta +
// curves table + the configured indices) and stored in the settings.
#pragma once

#include "app/grok_config.h"
#include "core/context.h"

#include <optional>
#include <string>

namespace g2a::app {

// The header value for `method` + `path` (URL path only), or nullopt when no material can be
// had (then `why` says what to configure).
Task<std::optional<std::string>> statsig_for(Ctx &cx, GrokConfig &cfg, std::string_view method,
                                             std::string_view path, std::string *why = nullptr);
// Re-derives seed and key from the home page; true when new material was stored.
Task<bool> refresh_statsig_material(Ctx &cx, GrokConfig &cfg, std::string *why = nullptr);

} // namespace g2a::app
