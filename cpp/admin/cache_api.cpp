// The media cache index (media_cache, owned by the /images flow) and its KV bodies: list with
// totals, delete one entry, clear everything in batches of KV_CLEANUP_BATCH. One clear call
// stays under the per-invocation KV operation limit (about 900 deletes) and reports what is
// left; the caller repeats it until `remaining` is 0.
#include "admin/audit.h"
#include "admin/fields.h"
#include "admin/handlers.h"
#include "admin/paging.h"

#include <algorithm>

namespace g2a::admin {

namespace {
constexpr long long kKvDeleteBudget = 900;

struct Cursor {
  long long created_at = 0;
  std::string key;
};

// "<created_at>:<key>", as an earlier answer's next_cursor gave it.
ApiResult<Cursor> parse_cursor(const std::string &c) {
  size_t colon = c.find(':');
  std::optional<long long> at;
  if (colon != std::string::npos) at = parse_int(std::string_view(c).substr(0, colon));
  if (!at || *at < 0 || colon + 1 == c.size())
    return bad_field("cursor", "cursor must be a next_cursor from a previous answer.");
  return Cursor{*at, c.substr(colon + 1)};
}
} // namespace

Task<void> cache_list(Ctx &cx, AdminCall &call) {
  int limit = 50;
  if (auto l = cx.req.query_param("limit"); l && !l->empty()) {
    auto v = parse_int(*l);
    if (!v) {
      fail(cx, call, bad_field("limit", "limit must be an integer."));
      co_return;
    }
    limit = static_cast<int>(std::clamp<long long>(*v, 1, 200));
  }
  std::string sql = "SELECT key, media_id, content_type, size, created_at, expires_at, hits, "
                    "last_access_at FROM media_cache";
  json params = json::array();
  if (auto c = cx.req.query_param("cursor"); c && !c->empty()) {
    auto cursor = parse_cursor(*c);
    if (!cursor.ok()) {
      fail(cx, call, cursor.error());
      co_return;
    }
    sql += " WHERE created_at < ?1 OR (created_at = ?1 AND key < ?2)";
    params = json::array({cursor.value().created_at, cursor.value().key});
  }
  sql += " ORDER BY created_at DESC, key DESC LIMIT " + std::to_string(limit + 1);
  auto res = co_await cx.run(
      {fx::d1({{"SELECT COUNT(*) AS count, COALESCE(SUM(size), 0) AS bytes FROM media_cache",
                json::array()},
               {sql, params}})});
  const auto page = fx::D1Result::of(fx::result_at(res));
  if (!page.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  const json &tot = page.rows(0);
  const json &rows = page.rows(1);
  json data = json::array();
  json next = nullptr;
  if (rows.is_array())
    for (size_t i = 0; i < rows.size(); ++i) {
      const json &r = rows[i];
      if (i == static_cast<size_t>(limit)) {
        const json &prev = rows[i - 1];
        next = std::to_string(int_or(prev, "created_at")) + ":" + str_or(prev, "key");
        break;
      }
      data.push_back(json{{"key", str_or(r, "key")},
                          {"media_id", str_or(r, "media_id")},
                          {"content_type", str_or(r, "content_type")},
                          {"size", int_or(r, "size")},
                          {"created_at", int_or(r, "created_at")},
                          {"expires_at", int_or(r, "expires_at")},
                          {"last_access_at", int_or(r, "last_access_at")},
                          {"hits", int_or(r, "hits")}});
    }
  long long count = 0, bytes = 0;
  if (tot.is_array() && !tot.empty()) {
    count = int_or(tot[0], "count");
    bytes = int_or(tot[0], "bytes");
  }
  reply(cx, call, 200,
        json{{"count", count}, {"bytes", bytes}, {"data", std::move(data)}, {"next_cursor", next}});
}

Task<void> cache_delete(Ctx &cx, AdminCall &call) {
  const std::string &key = param(call, 0);
  auto res = co_await cx.run({fx::d1(
      {{"DELETE FROM media_cache WHERE key = ?1 RETURNING key, size", json::array({key})}})});
  const auto deleted = fx::D1Result::of(fx::result_at(res));
  if (!deleted.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  const json &rows = deleted.rows();
  if (!rows.is_array() || rows.empty()) {
    fail(cx, call,
         admin_error(404, "cache_entry_not_found", "No cached media with key '" + key + "'.",
                     "key"));
    co_return;
  }
  long long size = int_or(rows[0], "size");
  std::vector<json> effects{
      fx::d1({audit_stmt(cx, call, "cache.delete", key, json{{"size", size}})})};
  if (cx.req.has_kv) effects.push_back(fx::kv_delete({key}));
  co_await cx.run(std::move(effects));
  reply(cx, call, 200, json{{"deleted", true}, {"key", key}});
}

Task<void> cache_clear(Ctx &cx, AdminCall &call) {
  if (auto e = reject_unknown_fields(call.body, {})) {
    fail(cx, call, *e);
    co_return;
  }
  long long batch = std::clamp<long long>(cx.req.var_int("KV_CLEANUP_BATCH", 200), 1, 500);
  long long rounds = std::max<long long>(1, kKvDeleteBudget / batch);
  long long deleted = 0;
  for (long long round = 0; round < rounds; ++round) {
    auto sel = co_await cx.run(
        {fx::d1({{"SELECT key FROM media_cache ORDER BY key LIMIT ?1", json::array({batch})}})});
    const auto selected = fx::D1Result::of(fx::result_at(sel));
    if (!selected.ok) {
      fail(cx, call, storage_error());
      co_return;
    }
    const json &rows = selected.rows();
    std::vector<std::string> keys;
    if (rows.is_array())
      for (const auto &r : rows) keys.push_back(str_or(r, "key"));
    if (keys.empty()) break;
    if (cx.req.has_kv) {
      auto del = co_await cx.run({fx::kv_delete(keys)});
      if (!fx::Ack::of(fx::result_at(del)).ok) {
        fail(
            cx, call,
            admin_error(503, "kv_unavailable", "The media cache (KV) refused the deletes; retry."));
        co_return;
      }
    }
    json list = keys;
    auto d = co_await cx.run({fx::d1({{"DELETE FROM media_cache WHERE key IN "
                                       "(SELECT value FROM json_each(?1))",
                                       json::array({dump(list)})}})});
    const auto removed = fx::D1Result::of(fx::result_at(d));
    if (!removed.ok) {
      fail(cx, call, storage_error());
      co_return;
    }
    deleted += removed.changes();
    if (static_cast<long long>(keys.size()) < batch) break;
  }
  auto left = co_await cx.run(
      {fx::d1({{"SELECT COUNT(*) AS n FROM media_cache", json::array()},
               audit_stmt(cx, call, "cache.clear", "", json{{"deleted", deleted}})})});
  long long remaining = 0;
  if (const auto counted = fx::D1Result::of(fx::result_at(left)); counted.ok) {
    const json &r = counted.rows(0);
    if (r.is_array() && !r.empty()) remaining = int_or(r[0], "n");
  }
  reply(cx, call, 200,
        json{{"deleted", deleted}, {"remaining", remaining}, {"done", remaining == 0}});
}

} // namespace g2a::admin
