// API-key authentication and per-key daily quotas for /v1: reading the key (Bearer or x-api-key),
// the lookup by SHA-256 hash, the allow decision (enabled, expiry, allowed models), and the atomic
// conditional UPDATEs that charge (and refund) a key's daily usage.
#pragma once

#include "core/effects.h"
#include "grok/models.h"
#include "http/api_error.h"

#include <optional>
#include <string>
#include <vector>

namespace g2a::auth {

// The key from "Authorization: Bearer <key>"; nullopt when absent or malformed.
std::optional<std::string> bearer_key(const Request &req);
// The key a client sent: "Authorization: Bearer" (OpenAI clients) or, when there is no
// Authorization header, "x-api-key" (Anthropic clients). nullopt when absent or malformed.
std::optional<std::string> api_key(const Request &req);

struct ApiKey {
  std::string id;
  std::string name;
  bool enabled = true;
  long long chat_limit = -1, heavy_limit = -1, image_limit = -1, video_limit = -1;
  std::vector<std::string> allowed_models; // empty: all
  long long expires_at = 0;                // ms; 0 = never
};

fx::Stmt key_lookup(std::string_view sha256_hex);
std::optional<ApiKey> key_from_rows(const json &rows);

ApiError missing_key_error();
ApiError invalid_key_error();
// nullopt when the key may call `model` now; else 401/403 in OpenAI's shape.
std::optional<ApiError> check_key(const std::optional<ApiKey> &key, std::string_view model,
                                  long long now_ms);

// What one request costs against the daily limits.
struct Charge {
  int chat = 0, heavy = 0, image = 0, video = 0;
  bool empty() const { return !chat && !heavy && !image && !video; }
};
Charge charge_for(const grok::ModelInfo &model, int images);

// [ensure today's row, conditional increment]. The second statement changes 1 row when the
// charge fits every limit, 0 when it would exceed one (then nothing is charged).
std::vector<fx::Stmt> quota_charge(const ApiKey &key, std::string_view day, const Charge &c);
fx::Stmt quota_refund(const ApiKey &key, std::string_view day, const Charge &c);
fx::Stmt key_touch(const ApiKey &key, long long now_ms);
ApiError quota_exceeded_error(const Charge &c);

} // namespace g2a::auth
