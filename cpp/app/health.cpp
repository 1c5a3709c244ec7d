// GET /health: proves both bindings work (a real SELECT 1 on D1 and a KV read) and reports
// the build and core versions (and, with the G2A_DIAGNOSTICS var, the runtime figures the shim
// adds: see Request::diag). 200 when all is well, 503 otherwise.
#include "app/routes.h"
#include "core/version.h"
#include "http/response.h"

namespace g2a::app {

Task<void> health(Ctx &cx) {
  if (cx.req.method != "GET" && cx.req.method != "HEAD") {
    respond_error(cx, method_not_allowed("Use GET or HEAD.", "GET, HEAD"));
    co_return;
  }
  bool db = false, kv = false;
  std::vector<json> effects;
  if (cx.req.has_db) effects.push_back(fx::d1({{"SELECT 1 AS ok", json::array()}}));
  if (cx.req.has_kv) effects.push_back(fx::kv_get("health:probe"));
  auto results = co_await cx.run(std::move(effects));
  size_t i = 0;
  if (cx.req.has_db) {
    const auto r = fx::D1Result::of(fx::result_at(results, i++));
    const json &rows = r.rows(0);
    db = r.ok && rows.is_array() && !rows.empty() && int_or(rows[0], "ok") == 1;
  }
  if (cx.req.has_kv) {
    kv = fx::KvGetResult::of(fx::result_at(results, i)).ok;
  }
  bool ok = db && kv;
  json body{{"status", ok ? "ok" : "degraded"},
            {"build", cx.req.var("BUILD_SHA", "dev")},
            {"core", kCoreVersion},
            {"bindings", {{"db", db}, {"kv", kv}}}};
  if (cx.req.diag.is_object()) body["diag"] = cx.req.diag;
  respond_json(cx, ok ? 200 : 503, body, {{"cache-control", "no-store"}});
}

} // namespace g2a::app
