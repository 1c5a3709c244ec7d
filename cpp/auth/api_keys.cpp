// API-key checks and daily quota statements.
#include "auth/api_keys.h"
#include "core/text.h"

namespace g2a::auth {

namespace {

// A key's bytes: trimmed, 1–512 printable ASCII characters without spaces.
std::optional<std::string> clean_key(std::string_view v) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v.empty() || v.size() > 512) return std::nullopt;
  for (unsigned char c : v)
    if (c <= 0x20 || c >= 0x7f) return std::nullopt;
  return std::string(v);
}

} // namespace

std::optional<std::string> bearer_key(const Request &req) {
  auto h = req.header("authorization");
  if (!h) return std::nullopt;
  std::string_view v = *h;
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  if (v.size() < 7) return std::nullopt;
  if (!text::istarts_with(v, "bearer") || v[6] != ' ') return std::nullopt;
  return clean_key(v.substr(7));
}

std::optional<std::string> api_key(const Request &req) {
  if (req.header("authorization")) return bearer_key(req);
  if (auto h = req.header("x-api-key")) return clean_key(*h);
  return std::nullopt;
}

fx::Stmt key_lookup(std::string_view sha256_hex) {
  return {"SELECT id, name, enabled, chat_limit, heavy_limit, image_limit, video_limit, "
          "allowed_models, expires_at FROM api_keys WHERE key_hash = ?1",
          json::array({sha256_hex})};
}

std::optional<ApiKey> key_from_rows(const json &rows) {
  if (!rows.is_array() || rows.empty()) return std::nullopt;
  const json &r = rows[0];
  ApiKey k;
  k.id = str_or(r, "id");
  k.name = str_or(r, "name");
  k.enabled = int_or(r, "enabled", 0) != 0;
  k.chat_limit = int_or(r, "chat_limit", -1);
  k.heavy_limit = int_or(r, "heavy_limit", -1);
  k.image_limit = int_or(r, "image_limit", -1);
  k.video_limit = int_or(r, "video_limit", -1);
  k.expires_at = int_or(r, "expires_at", 0);
  if (auto models = parse_json(str_or(r, "allowed_models", "[]")); models && models->is_array())
    for (const auto &m : *models)
      if (m.is_string()) k.allowed_models.push_back(m.get<std::string>());
  if (k.id.empty()) return std::nullopt;
  return k;
}

ApiError missing_key_error() {
  return ApiError{.status = 401,
                  .type = "invalid_request_error",
                  .message =
                      "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.",
                  .code = "invalid_api_key"};
}

ApiError invalid_key_error() {
  return ApiError{.status = 401,
                  .type = "invalid_request_error",
                  .message = "Incorrect API key provided.",
                  .code = "invalid_api_key"};
}

std::optional<ApiError> check_key(const std::optional<ApiKey> &key, std::string_view model,
                                  long long now_ms) {
  if (!key || !key->enabled) return invalid_key_error();
  if (key->expires_at > 0 && key->expires_at <= now_ms) {
    ApiError e = invalid_key_error();
    e.message = "This API key has expired.";
    e.code = "invalid_api_key";
    return e;
  }
  if (!model.empty() && !key->allowed_models.empty()) {
    bool ok = false;
    for (const auto &m : key->allowed_models) ok = ok || m == model;
    if (!ok) {
      return ApiError{.status = 403,
                      .type = "request_forbidden",
                      .message = "This API key may not use the model '" + std::string(model) + "'.",
                      .param = "model",
                      .code = "model_not_allowed"};
    }
  }
  return std::nullopt;
}

Charge charge_for(const grok::ModelInfo &model, int images) {
  Charge c;
  switch (model.kind) {
  case grok::ModelKind::Chat:
    c.chat = 1;
    if (model.tier == grok::Tier::Heavy) c.heavy = 1;
    break;
  case grok::ModelKind::Image:
  case grok::ModelKind::ImageEdit:
    c.image = images > 0 ? images : 1;
    break;
  case grok::ModelKind::Video:
    c.video = 1;
    break;
  }
  return c;
}

std::vector<fx::Stmt> quota_charge(const ApiKey &key, std::string_view day, const Charge &c) {
  std::vector<fx::Stmt> out;
  out.push_back({"INSERT INTO api_key_usage (key_id, day) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                 json::array({key.id, day})});
  out.push_back(
      {"UPDATE api_key_usage SET chat_used = chat_used + ?3, heavy_used = heavy_used + ?4, "
       "image_used = image_used + ?5, video_used = video_used + ?6 "
       "WHERE key_id = ?1 AND day = ?2 "
       "AND (?7 < 0 OR chat_used + ?3 <= ?7) AND (?8 < 0 OR heavy_used + ?4 <= ?8) "
       "AND (?9 < 0 OR image_used + ?5 <= ?9) AND (?10 < 0 OR video_used + ?6 <= ?10)",
       json::array({key.id, day, c.chat, c.heavy, c.image, c.video, c.chat ? key.chat_limit : -1,
                    c.heavy ? key.heavy_limit : -1, c.image ? key.image_limit : -1,
                    c.video ? key.video_limit : -1})});
  return out;
}

fx::Stmt quota_refund(const ApiKey &key, std::string_view day, const Charge &c) {
  return {"UPDATE api_key_usage SET chat_used = MAX(chat_used - ?3, 0), "
          "heavy_used = MAX(heavy_used - ?4, 0), image_used = MAX(image_used - ?5, 0), "
          "video_used = MAX(video_used - ?6, 0) WHERE key_id = ?1 AND day = ?2",
          json::array({key.id, day, c.chat, c.heavy, c.image, c.video})};
}

fx::Stmt key_touch(const ApiKey &key, long long now_ms) {
  return {"UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1", json::array({key.id, now_ms})};
}

ApiError quota_exceeded_error(const Charge &c) {
  ApiError e{.status = 429, .type = "insufficient_quota", .code = "insufficient_quota"};
  const char *kind = c.heavy ? "heavy" : c.video ? "video" : c.image ? "image" : "chat";
  e.message = std::string("This API key has used its daily ") + kind +
              " quota; it resets at local midnight.";
  e.headers = {{"x-should-retry", "false"}};
  return e;
}

} // namespace g2a::auth
