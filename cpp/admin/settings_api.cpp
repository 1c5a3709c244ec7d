// GET /api/admin/settings and PUT /api/admin/settings (all fields validated, then one batch).
#include "admin/audit.h"
#include "admin/handlers.h"
#include "admin/settings_view.h"

namespace g2a::admin {

Task<void> settings_get(Ctx &cx, AdminCall &call) {
  auto res = co_await cx.run({fx::d1({app::settings_select()})});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  reply(cx, call, 200, json{{"data", settings_view(r.rows())}});
}

Task<void> settings_put(Ctx &cx, AdminCall &call) {
  auto up = settings_update(call.body, cx.now_ms);
  if (!up.ok()) {
    fail(cx, call, up.error());
    co_return;
  }
  SettingsUpdate u = std::move(up).value();
  std::vector<fx::Stmt> stmts = std::move(u.stmts);
  stmts.push_back(
      audit_stmt(cx, call, "settings.update", "", json{{"keys", u.keys}, {"cleared", u.cleared}}));
  stmts.push_back(app::settings_select());
  const size_t last = stmts.size() - 1;
  auto res = co_await cx.run({fx::d1(std::move(stmts))});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  reply(cx, call, 200, json{{"data", settings_view(r.rows(last))}});
}

} // namespace g2a::admin
