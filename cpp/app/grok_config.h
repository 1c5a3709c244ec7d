// How this deployment talks to Grok, resolved once per request from the [vars] and the D1
// settings: upstream URLs, browser profile, Cloudflare cookies, statsig material, transport,
// conversation flags, timeouts and pool policy numbers.
#pragma once

#include "answer/quality_guard.h"
#include "app/settings.h"
#include "grok/cookies.h"
#include "grok/ndjson_decoder.h"
#include "grok/statsig_chain.h"
#include "grok/upstream_headers.h"
#include "pool/token_pool.h"

#include <string>
#include <vector>

namespace g2a::app {

struct GrokConfig {
  grok::UpstreamProfile profile;
  std::string ws_base; // WebSocket base URL (grok_ws_url, else profile.base_url), http(s) form
  // Worker bindings the transports go out through (app/egress.h), "" = the public fetch.
  std::string rest_binding, ws_binding, assets_binding;
  // Set when a binding named above turned out not to be bound (this request only).
  std::string egress_error;
  grok::UpstreamCookies cookies;
  std::string transport = "auto"; // ws | rest | auto
  grok::StatsigChain statsig;     // where this request's x-statsig-id values come from
  // D1 writes that must not delay the answer (the last statsig material Grok accepted); the /v1
  // flows move them into the batch that writes the log row (V1Call::closing).
  std::vector<fx::Stmt> deferred_writes;
  std::vector<long long> statsig_indices;
  bool statsig_browser_flavor = true;
  bool temporary = true;
  bool disable_memory = true;
  grok::DecodeOptions decode;
  answer::QualityLimits quality;       // loop thresholds (expect_reasoning set per model)
  std::string quality_reasoning_modes; // modes that always reason, comma-separated
  bool quality_retry = true;           // set per attempt by run_answer
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
