// GET /api/admin/logs: filtered, newest first, "before" cursor paging.
#include "admin/handlers.h"
#include "admin/logs_query.h"
#include "admin/paging.h"

namespace g2a::admin {

Task<void> logs_list(Ctx &cx, AdminCall &call) {
  auto f = log_filter(cx.req);
  if (auto *e = std::get_if<ApiError>(&f)) {
    fail(cx, call, *e);
    co_return;
  }
  LogFilter filter = std::get<LogFilter>(f);
  auto res = co_await cx.run({fx::d1({logs_select(filter)})});
  if (!d1_ok(res)) {
    fail(cx, call, storage_error());
    co_return;
  }
  json rows = d1_rows(res[0]);
  if (!rows.is_array()) rows = json::array();
  json next = paginate(rows, filter.limit);
  json data = json::array();
  for (const auto &r : rows) data.push_back(log_row_json(r));
  reply(cx, call, 200, json{{"data", std::move(data)}, {"next_before", next}});
}

} // namespace g2a::admin
