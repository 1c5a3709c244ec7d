// Audit rows and GET /api/admin/audit.
#include "admin/audit.h"

#include "admin/paging.h"

namespace g2a::admin {

fx::Stmt audit_stmt(const Ctx &cx, std::string_view username, std::string_view action,
                    std::string_view target, const json &detail) {
  return {"INSERT INTO audit_log (ts, username, action, target, detail, ip) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
          json::array({cx.now_ms, username, action, target.empty() ? json(nullptr) : json(target),
                       dump(detail), cx.req.ip.empty() ? json(nullptr) : json(cx.req.ip)})};
}

Task<void> audit_list(Ctx &cx, AdminCall &call) {
  auto pq = page_query(cx.req, 50, 200);
  if (!pq.ok()) {
    fail(cx, call, pq.error());
    co_return;
  }
  const PageQuery q = pq.value();
  std::string sql = "SELECT id, ts, username, action, target, detail, ip FROM audit_log";
  json params = json::array();
  if (q.before > 0) {
    sql += " WHERE ts < ?1";
    params.push_back(q.before);
  }
  sql += " ORDER BY ts DESC, id DESC LIMIT " + std::to_string(q.limit + 1);
  auto res = co_await cx.run({fx::d1({{sql, params}})});
  const auto db = fx::D1Result::of(fx::result_at(res));
  if (!db.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  json rows = db.rows();
  if (!rows.is_array()) rows = json::array();
  json next = paginate(rows, q.limit);
  json data = json::array();
  for (const auto &r : rows) {
    auto detail = parse_json(str_or(r, "detail", "{}"));
    data.push_back(
        json{{"id", int_or(r, "id")},
             {"ts", int_or(r, "ts")},
             {"username", str_or(r, "username")},
             {"action", str_or(r, "action")},
             {"target", jget(r, "target").is_string() ? jget(r, "target") : json(nullptr)},
             {"detail", detail ? *detail : json::object()},
             {"ip", jget(r, "ip").is_string() ? jget(r, "ip") : json(nullptr)}});
  }
  reply(cx, call, 200, json{{"data", std::move(data)}, {"next_before", next}});
}

} // namespace g2a::admin
