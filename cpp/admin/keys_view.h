// API keys as the admin sees them (pure): the generated key's shape and display hint, the
// validation of name, limits, allowed models and expiry, and one key row as JSON (the hash
// never leaves D1; the plaintext exists only in the create answer).
#pragma once

#include "admin/call.h"
#include "http/api_result.h"

#include <string>
#include <vector>

namespace g2a::admin {

inline constexpr std::string_view kKeyPrefix = "sk-g2a-";

// "sk-g2a-" + base64url(24 random bytes) (no padding: 32 characters).
std::string make_api_key(std::string_view random24);
// "sk-g2a-AbCd…wXyZ": the prefix, the first and last 4 characters of the random part.
std::string key_hint(std::string_view key);

struct KeyLimits {
  long long chat = -1, heavy = -1, image = -1, video = -1; // per local day; -1 = unlimited
};

// Each check returns the valid value or the error naming the field.
// A name: trimmed of spaces, 1 to 100 characters, no control characters.
ApiResult<std::string> check_key_name(const json &v);
// `v` must be an object; the kinds present replace those in `base`.
ApiResult<KeyLimits> check_limits(const json &v, KeyLimits base = {});
// Known model ids (grok/models.h), deduplicated, at most 64; [] (or null) = all models.
ApiResult<std::vector<std::string>> check_allowed_models(const json &v);
// null or 0 = never (0); otherwise epoch ms in the future.
ApiResult<long long> check_expires_at(const json &v, long long now_ms);

inline constexpr const char *kKeyColumns =
    "k.id, k.name, k.key_hint, k.enabled, k.chat_limit, k.heavy_limit, k.image_limit, "
    "k.video_limit, k.allowed_models, k.expires_at, k.created_at, k.last_used_at, "
    "u.chat_used, u.heavy_used, u.image_used, u.video_used";
// SELECT of keys with today's usage (?1 = the local day); `where` is "" or " WHERE k.id = ?2".
fx::Stmt keys_select(std::string_view day, std::string_view id = {});
json key_json(const json &row);

} // namespace g2a::admin
