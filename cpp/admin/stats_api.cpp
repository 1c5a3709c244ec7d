// GET /api/admin/stats.
#include "admin/handlers.h"
#include "admin/stats_query.h"

namespace g2a::admin {

Task<void> stats_get(Ctx &cx, AdminCall &call) {
  StatsWindow w = stats_window(cx.now_ms, cx.req.var_int("CACHE_RESET_TZ_OFFSET_MINUTES", 480));
  auto res = co_await cx.run({fx::d1(stats_stmts(w))});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  reply(cx, call, 200, stats_json(r, w));
}

} // namespace g2a::admin
