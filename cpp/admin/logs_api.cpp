// GET /api/admin/logs: filtered, newest first, "before" cursor paging.
#include "admin/handlers.h"
#include "admin/logs_query.h"
#include "admin/paging.h"

namespace g2a::admin {

Task<void> logs_list(Ctx &cx, AdminCall &call) {
  auto f = log_filter(cx.req);
  if (!f.ok()) {
    fail(cx, call, f.error());
    co_return;
  }
  const LogFilter &filter = f.value();
  auto res = co_await cx.run({fx::d1({logs_select(filter)})});
  const auto db = fx::D1Result::of(fx::result_at(res));
  if (!db.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  json rows = db.rows();
  if (!rows.is_array()) rows = json::array();
  json next = paginate(rows, filter.limit);
  json data = json::array();
  for (const auto &r : rows) data.push_back(log_row_json(r));
  reply(cx, call, 200, json{{"data", std::move(data)}, {"next_before", next}});
}

} // namespace g2a::admin
