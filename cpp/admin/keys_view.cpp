// API key views and validation.
#include "admin/keys_view.h"

#include "core/bytes.h"
#include "grok/models.h"

namespace g2a::admin {

std::string make_api_key(std::string_view random24) {
  return std::string(kKeyPrefix) + base64_encode(random24, true, false);
}

std::string key_hint(std::string_view key) {
  std::string_view rest = key;
  std::string prefix;
  if (rest.substr(0, kKeyPrefix.size()) == kKeyPrefix) {
    prefix = std::string(kKeyPrefix);
    rest.remove_prefix(kKeyPrefix.size());
  }
  if (rest.size() < 12) return prefix + "…";
  return prefix + std::string(rest.substr(0, 4)) + "…" + std::string(rest.substr(rest.size() - 4));
}

ApiResult<std::string> check_key_name(const json &v) {
  if (!v.is_string())
    return bad_field("name", "name is required: a string of 1 to 100 characters.");
  std::string s = v.get<std::string>();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  size_t cps = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++cps;
    if (c < 0x20 || c == 0x7f)
      return bad_field("name", "name must not contain control characters.");
  }
  if (cps < 1 || cps > 100) return bad_field("name", "name must be 1 to 100 characters long.");
  return s;
}

ApiResult<KeyLimits> check_limits(const json &v, KeyLimits base) {
  if (!v.is_object())
    return bad_field("limits", "limits must be an object like {\"chat\":100,\"image\":-1}.");
  for (auto it = v.begin(); it != v.end(); ++it) {
    long long *slot = it.key() == "chat"    ? &base.chat
                      : it.key() == "heavy" ? &base.heavy
                      : it.key() == "image" ? &base.image
                      : it.key() == "video" ? &base.video
                                            : nullptr;
    std::string param = "limits." + it.key();
    if (!slot)
      return admin_error(400, "unknown_field",
                         param + " is not a limit; use chat, heavy, image or video.", param);
    if (!it->is_number_integer())
      return bad_field(param, param + " must be an integer (-1 = unlimited).");
    long long x = it->get<long long>();
    if (x < -1 || x > 1000000000)
      return bad_field(param, param + " must be between -1 (unlimited) and 1000000000.");
    *slot = x;
  }
  return base;
}

ApiResult<std::vector<std::string>> check_allowed_models(const json &v) {
  std::vector<std::string> out;
  if (v.is_null()) return out;
  if (!v.is_array())
    return bad_field("allowed_models", "allowed_models must be a list of model ids ([] = all).");
  for (const auto &m : v) {
    if (!m.is_string() || !grok::find_model(m.get<std::string>()))
      return admin_error(400, "model_not_found",
                         "allowed_models: unknown model " +
                             (m.is_string() ? "'" + m.get<std::string>() + "'" : dump(m)) + ".",
                         "allowed_models");
    std::string id = m.get<std::string>();
    bool seen = false;
    for (const auto &x : out) seen = seen || x == id;
    if (!seen) out.push_back(id);
  }
  if (out.size() > 64) return bad_field("allowed_models", "allowed_models holds at most 64 ids.");
  return out;
}

ApiResult<long long> check_expires_at(const json &v, long long now_ms) {
  if (v.is_null()) return 0LL;
  if (!v.is_number_integer())
    return bad_field("expires_at", "expires_at must be epoch milliseconds, or null for never.");
  long long x = v.get<long long>();
  if (x == 0) return 0LL;
  if (x <= now_ms) return bad_field("expires_at", "expires_at must be in the future.");
  return x;
}

fx::Stmt keys_select(std::string_view day, std::string_view id) {
  std::string sql = std::string("SELECT ") + kKeyColumns +
                    " FROM api_keys k LEFT JOIN api_key_usage u ON u.key_id = k.id AND u.day = ?1";
  json params = json::array({day});
  if (!id.empty()) {
    sql += " WHERE k.id = ?2";
    params.push_back(id);
  }
  sql += " ORDER BY k.created_at DESC, k.id";
  return {sql, params};
}

json key_json(const json &r) {
  json models = json::array();
  if (auto m = parse_json(str_or(r, "allowed_models", "[]")); m && m->is_array())
    for (const auto &x : *m)
      if (x.is_string()) models.push_back(x);
  return json{
      {"id", str_or(r, "id")},
      {"name", str_or(r, "name")},
      {"hint", str_or(r, "key_hint")},
      {"enabled", int_or(r, "enabled", 1) != 0},
      {"limits",
       {{"chat", int_or(r, "chat_limit", -1)},
        {"heavy", int_or(r, "heavy_limit", -1)},
        {"image", int_or(r, "image_limit", -1)},
        {"video", int_or(r, "video_limit", -1)}}},
      {"allowed_models", std::move(models)},
      {"expires_at", int_or(r, "expires_at") > 0 ? json(int_or(r, "expires_at")) : json(nullptr)},
      {"created_at", int_or(r, "created_at")},
      {"last_used_at", int_or(r, "last_used_at")},
      {"usage_today",
       {{"chat", int_or(r, "chat_used")},
        {"heavy", int_or(r, "heavy_used")},
        {"image", int_or(r, "image_used")},
        {"video", int_or(r, "video_used")}}}};
}

} // namespace g2a::admin
