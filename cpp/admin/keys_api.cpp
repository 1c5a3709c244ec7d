// API keys: list (with today's usage), create (the plaintext only in this answer; stored as
// its SHA-256), edit, delete; and the model ids a key may be limited to.
#include "admin/audit.h"
#include "admin/fields.h"
#include "admin/handlers.h"
#include "admin/keys_view.h"
#include "core/bytes.h"
#include "core/time.h"
#include "grok/models.h"

namespace g2a::admin {

namespace {

std::string today(const Ctx &cx) {
  return local_day(cx.now_ms, cx.req.var_int("CACHE_RESET_TZ_OFFSET_MINUTES", 480));
}

json limits_json(const KeyLimits &l) {
  return json{{"chat", l.chat}, {"heavy", l.heavy}, {"image", l.image}, {"video", l.video}};
}

ApiError key_not_found(const std::string &id) {
  return admin_error(404, "key_not_found", "No API key with id '" + id + "'.", "id");
}

} // namespace

Task<void> keys_list(Ctx &cx, AdminCall &call) {
  auto res = co_await cx.run({fx::d1({keys_select(today(cx))})});
  const auto listed = fx::D1Result::of(fx::result_at(res));
  if (!listed.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  json data = json::array();
  const json &rows = listed.rows();
  if (rows.is_array())
    for (const auto &r : rows) data.push_back(key_json(r));
  reply(cx, call, 200, json{{"data", std::move(data)}});
}

Task<void> keys_create(Ctx &cx, AdminCall &call) {
  if (auto e =
          reject_unknown_fields(call.body, {"name", "limits", "allowed_models", "expires_at"})) {
    fail(cx, call, *e);
    co_return;
  }
  auto checked_name = check_key_name(jget(call.body, "name"));
  if (!checked_name.ok()) {
    fail(cx, call, checked_name.error());
    co_return;
  }
  KeyLimits limits;
  if (call.body.contains("limits") && !jget(call.body, "limits").is_null()) {
    auto checked = check_limits(jget(call.body, "limits"));
    if (!checked.ok()) {
      fail(cx, call, checked.error());
      co_return;
    }
    limits = checked.value();
  }
  auto checked_models = check_allowed_models(jget(call.body, "allowed_models"));
  if (!checked_models.ok()) {
    fail(cx, call, checked_models.error());
    co_return;
  }
  auto checked_expiry = check_expires_at(jget(call.body, "expires_at"), cx.now_ms);
  if (!checked_expiry.ok()) {
    fail(cx, call, checked_expiry.error());
    co_return;
  }
  const std::string &name = checked_name.value();
  const long long expires_at = checked_expiry.value();
  std::string rnd = co_await cx.random(32);
  if (rnd.size() < 32) {
    fail(cx, call, admin_error(500, "random_unavailable", "No randomness available; retry."));
    co_return;
  }
  std::string key = make_api_key(std::string_view(rnd).substr(0, 24));
  std::string id = "key_" + hex_encode(std::string_view(rnd).substr(24, 8));
  auto digest = co_await cx.run({fx::sha256(key)});
  std::string hash(fx::CryptoResult::of(fx::result_at(digest)).hex);
  if (hash.size() != 64) {
    fail(cx, call, admin_error(500, "crypto_failed", "Could not hash the new key."));
    co_return;
  }
  json models_json = checked_models.value();
  auto res = co_await cx.run(
      {fx::d1({{"INSERT INTO api_keys (id, name, key_hash, key_hint, enabled, chat_limit, "
                "heavy_limit, image_limit, video_limit, allowed_models, expires_at, created_at) "
                "VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                json::array({id, name, hash, key_hint(key), limits.chat, limits.heavy, limits.image,
                             limits.video, dump(models_json), expires_at, cx.now_ms})},
               keys_select(today(cx), id),
               audit_stmt(cx, call, "keys.create", id,
                          json{{"name", name},
                               {"limits", limits_json(limits)},
                               {"allowed_models", models_json},
                               {"expires_at", expires_at}})})});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  const json &rows = r.rows(1);
  json data = rows.is_array() && !rows.empty() ? key_json(rows[0]) : json::object();
  reply(cx, call, 201, json{{"data", std::move(data)}, {"key", key}});
}

Task<void> keys_patch(Ctx &cx, AdminCall &call) {
  const std::string &id = param(call, 0);
  if (auto e = reject_unknown_fields(
          call.body, {"name", "enabled", "limits", "allowed_models", "expires_at"})) {
    fail(cx, call, *e);
    co_return;
  }
  std::string sets;
  json params = json::array({id});
  json detail = json::object();
  auto add = [&](const char *col, json v) {
    params.push_back(std::move(v));
    if (!sets.empty()) sets += ", ";
    sets += std::string(col) + " = ?" + std::to_string(params.size());
  };
  // The fields are checked in this order; the first invalid one is the answer.
  if (call.body.contains("name")) {
    auto name = check_key_name(jget(call.body, "name"));
    if (!name.ok()) {
      fail(cx, call, name.error());
      co_return;
    }
    add("name", name.value());
    detail["name"] = name.value();
  }
  if (call.body.contains("enabled")) {
    const json &v = jget(call.body, "enabled");
    if (!v.is_boolean()) {
      fail(cx, call, bad_field("enabled", "enabled must be true or false."));
      co_return;
    }
    add("enabled", v.get<bool>() ? 1 : 0);
    detail["enabled"] = v.get<bool>();
  }
  if (call.body.contains("limits")) {
    // Only the kinds sent change; the others keep their stored values.
    const json &v = jget(call.body, "limits");
    auto probe = check_limits(v);
    if (!probe.ok()) {
      fail(cx, call, probe.error());
      co_return;
    }
    const KeyLimits &l = probe.value();
    const char *cols[] = {"chat_limit", "heavy_limit", "image_limit", "video_limit"};
    const char *kinds[] = {"chat", "heavy", "image", "video"};
    const long long vals[] = {l.chat, l.heavy, l.image, l.video};
    for (int i = 0; i < 4; ++i)
      if (v.contains(kinds[i])) add(cols[i], vals[i]);
    detail["limits"] = v;
  }
  if (call.body.contains("allowed_models")) {
    auto models = check_allowed_models(jget(call.body, "allowed_models"));
    if (!models.ok()) {
      fail(cx, call, models.error());
      co_return;
    }
    json mj = models.value();
    add("allowed_models", dump(mj));
    detail["allowed_models"] = mj;
  }
  if (call.body.contains("expires_at")) {
    auto at = check_expires_at(jget(call.body, "expires_at"), cx.now_ms);
    if (!at.ok()) {
      fail(cx, call, at.error());
      co_return;
    }
    add("expires_at", at.value());
    detail["expires_at"] = at.value();
  }
  if (sets.empty()) {
    fail(cx, call,
         admin_error(400, "nothing_to_update",
                     "Send at least one of: name, enabled, limits, allowed_models, expires_at."));
    co_return;
  }
  auto res = co_await cx.run({fx::d1(
      {{"UPDATE api_keys SET " + sets + " WHERE id = ?1", params}, keys_select(today(cx), id)})});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  const json &rows = r.rows(1);
  if (r.changes(0) == 0 || !rows.is_array() || rows.empty()) {
    fail(cx, call, key_not_found(id));
    co_return;
  }
  co_await cx.run({fx::d1({audit_stmt(cx, call, "keys.update", id, detail)})});
  reply(cx, call, 200, json{{"data", key_json(rows[0])}});
}

Task<void> keys_delete(Ctx &cx, AdminCall &call) {
  const std::string &id = param(call, 0);
  auto res =
      co_await cx.run({fx::d1({{"SELECT name FROM api_keys WHERE id = ?1", json::array({id})},
                               {"DELETE FROM api_key_usage WHERE key_id = ?1", json::array({id})},
                               {"DELETE FROM api_keys WHERE id = ?1", json::array({id})}})});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  if (r.changes(2) == 0) {
    fail(cx, call, key_not_found(id));
    co_return;
  }
  const json &rows = r.rows(0);
  std::string name = rows.is_array() && !rows.empty() ? str_or(rows[0], "name") : std::string();
  co_await cx.run({fx::d1({audit_stmt(cx, call, "keys.delete", id, json{{"name", name}})})});
  reply(cx, call, 200, json{{"deleted", true}, {"id", id}});
}

Task<void> models_list(Ctx &cx, AdminCall &call) {
  json data = json::array();
  for (const auto &m : grok::models())
    data.push_back(json{{"id", m.id},
                        {"display_name", m.display_name},
                        {"kind", grok::model_kind_name(m.kind)},
                        {"tier", grok::tier_name(m.tier)},
                        {"bucket", m.bucket}});
  reply(cx, call, 200, json{{"data", std::move(data)}});
  co_return;
}

} // namespace g2a::admin
