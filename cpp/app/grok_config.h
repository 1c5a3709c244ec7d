// How this deployment talks to Grok, resolved once per request from the [vars] and the D1
// settings: upstream URLs, browser profile, Cloudflare cookies, statsig material, transport,
// conversation flags, timeouts and pool policy numbers.
#pragma once

#include "app/settings.h"
#include "grok/cookies.h"
#include "grok/ndjson_decoder.h"
#include "grok/upstream_headers.h"
#include "pool/token_pool.h"

#include <string>
#include <vector>

namespace g2a::app {

struct GrokConfig {
  grok::UpstreamProfile profile;
  grok::UpstreamCookies cookies;
  std::string transport = "auto"; // ws | rest | auto
  std::string statsig_mode = "local";
  std::string statsig_seed_b64;
  std::string statsig_key;
  std::string statsig_manual;
  std::vector<long long> statsig_indices;
  bool statsig_browser_flavor = true;
  bool temporary = true;
  bool disable_memory = true;
  grok::DecodeOptions decode;
  Timeouts timeouts;
  long long keepalive_ms = 15000; // a quiet committed stream's keep-alive interval; 0 = none
  int max_retries = 3;
  pool::PoolLimits limits;
  pool::HealthPolicy health;
  long long quota_refresh_ms = 600000;
  size_t max_images = 4;
  long long max_image_bytes = 10 * 1024 * 1024;
  std::string media_base; // origin for /images links
};

GrokConfig grok_config(const Request &req, const Settings &s);
// The WebSocket URL for a path on the base (https → wss, http → ws).
std::string ws_url(const std::string &base_url, std::string_view path);

} // namespace g2a::app
