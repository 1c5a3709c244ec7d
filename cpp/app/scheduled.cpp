// The hourly cron trigger. Every job decides for itself whether it is due, so no cron
// expression has to match the deployment's time zone: the daily media-cache reset after each
// local midnight, writing this isolate's tally of refused requests, request-log retention
// (log_retention_days, also for the refused-request counts, the /images link rows and the
// stored responses and the video jobs), and pruning of stale usage rows, expired admin sessions,
// old login-throttle rows and audit entries past the log retention.
#include "app/media_cleanup.h"
#include "app/refused_requests.h"
#include "app/responses_store.h"
#include "app/routes.h"
#include "app/settings.h"
#include "app/video_store.h"
#include "core/time.h"

namespace g2a::app {

Task<void> scheduled(Ctx &cx) {
  if (!cx.req.has_db) co_return;
  Settings s = co_await load_settings(cx);
  co_await flush_refused(cx);
  CleanupReport rep = co_await media_daily_cleanup(cx);
  if (rep.due)
    cx.log("info", "media cleanup: " + std::to_string(rep.deleted) + " entries deleted" +
                       (rep.completed ? "" : ", more next run"));
  long long cutoff = cx.now_ms - s.integer("log_retention_days") * 86400000LL;
  long long tz = cx.req.var_int("CACHE_RESET_TZ_OFFSET_MINUTES", 480);
  std::string old_day = local_day(cx.now_ms - 90LL * 86400000LL, tz);
  co_await cx.run({fx::d1(
      {{"DELETE FROM request_logs WHERE ts < ?1", json::array({cutoff})},
       {"DELETE FROM api_key_usage WHERE day < ?1", json::array({old_day})},
       {"DELETE FROM admin_sessions WHERE expires_at < ?1", json::array({cx.now_ms})},
       {"DELETE FROM login_attempts WHERE locked_until < ?1 AND first_at < ?2",
        json::array({cx.now_ms, cx.now_ms - 86400000LL})},
       {"DELETE FROM audit_log WHERE ts < ?1", json::array({cutoff})},
       {"DELETE FROM refused_requests WHERE day < ?1", json::array({local_day(cutoff, tz)})},
       {"DELETE FROM media_links WHERE created_at < ?1", json::array({cutoff})},
       stored_responses_prune(cutoff),
       videos_prune(cutoff)})});
}

} // namespace g2a::app
