// Daily media cleanup.
#include "app/media_cleanup.h"

#include "core/time.h"

namespace g2a::app {

Task<CleanupReport> media_daily_cleanup(Ctx &cx) {
  CleanupReport rep;
  long long tz = cx.req.var_int("CACHE_RESET_TZ_OFFSET_MINUTES", 480);
  long long batch = std::clamp<long long>(cx.req.var_int("KV_CLEANUP_BATCH", 200), 1, 500);
  long long midnight = local_midnight_ms(cx.now_ms, tz);
  auto st = co_await cx.run({fx::d1({{"SELECT midnight FROM cron_state WHERE name = 'media_daily'",
                                      json::array()}})});
  const json &rows = fx::D1Result::of(fx::result_at(st)).rows(0);
  long long done_midnight = rows.is_array() && !rows.empty() ? int_or(rows[0], "midnight") : 0;
  if (done_midnight >= midnight) co_return rep; // nothing due before the next local midnight
  rep.due = true;
  for (int round = 0; round < kCleanupMaxBatches; ++round) {
    auto sel = co_await cx.run({fx::d1({{"SELECT key FROM media_cache WHERE created_at < ?1 "
                                         "ORDER BY created_at LIMIT ?2",
                                         json::array({midnight, batch})}})});
    const json &keys_rows = fx::D1Result::of(fx::result_at(sel)).rows(0);
    std::vector<std::string> keys;
    if (keys_rows.is_array())
      for (const auto &k : keys_rows) keys.push_back(str_or(k, "key"));
    if (keys.empty()) {
      rep.completed = true;
      break;
    }
    json placeholders = json::array();
    std::string in;
    for (size_t i = 0; i < keys.size(); ++i) {
      in += (i ? ",?" : "?") + std::to_string(i + 1);
      placeholders.push_back(keys[i]);
    }
    auto del = co_await cx.run({fx::kv_delete(keys)});
    if (!fx::Ack::of(fx::result_at(del)).ok) co_return rep; // retry next hour
    co_await cx.run(
        {fx::d1({{"DELETE FROM media_cache WHERE key IN (" + in + ")", std::move(placeholders)}})});
    rep.deleted += static_cast<long long>(keys.size());
    if (static_cast<long long>(keys.size()) < batch) {
      rep.completed = true;
      break;
    }
  }
  if (rep.completed)
    co_await cx.run({fx::d1(
        {{"INSERT INTO cron_state (name, midnight, updated_at) VALUES ('media_daily', ?1, ?2) "
          "ON CONFLICT (name) DO UPDATE SET midnight = MAX(midnight, excluded.midnight), "
          "updated_at = excluded.updated_at",
          json::array({midnight, cx.now_ms})}})});
  co_return rep;
}

} // namespace g2a::app
