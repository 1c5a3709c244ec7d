// The cron trigger: housekeeping that must survive any schedule. For now it prunes request
// logs past their retention (setting log_retention_days, default 30).
#include "app/routes.h"
#include "app/settings.h"

namespace g2a::app {

Task<void> scheduled(Ctx &cx) {
  if (!cx.req.has_db) co_return;
  Settings s = co_await load_settings(cx);
  long long cutoff = cx.now_ms - s.integer("log_retention_days") * 86400000LL;
  co_await cx.run({fx::d1({{"DELETE FROM request_logs WHERE ts < ?1", json::array({cutoff})}})});
}

} // namespace g2a::app
