// Dispatch under /api/admin/: route lookup (404 unknown_url, 405 with allow), the session
// (401 not_logged_in), the CSRF rule for writes (403 csrf_failed), the forced password change
// (403 password_change_required), the JSON body (413 over the route's cap — 64 KB for all but
// the token import — 408 when it is not all there within 10 s, 400 invalid_json), then the
// handler.
#include "admin/admin.h"
#include "admin/routes.h"
#include "admin/session.h"
#include "http/api_result.h"

#include <algorithm>

namespace g2a::admin {

namespace {

// Reads and parses the JSON body: the object ({} when the body is empty or blank), or the
// error to answer (413 over the cap, 408 not all there in time, 400 unreadable or not an object).
Task<ApiResult<json>> read_json_body(Ctx &cx, long long cap) {
  long long max = std::min(cap, cx.req.var_int("MAX_REQUEST_BYTES", cap));
  auto res = co_await cx.run({fx::read_body(max, kAdminBodyTimeoutMs)});
  const auto r = fx::ReadBodyResult::of(fx::result_at(res));
  if (r.too_large)
    co_return admin_error(413, "request_too_large",
                          "Request body is larger than " + std::to_string(max) + " bytes");
  if (r.timeout)
    co_return admin_error(408, "request_timeout",
                          "The request body did not arrive within " +
                              std::to_string(kAdminBodyTimeoutMs / 1000) + " seconds.");
  if (!r.ok) co_return admin_error(400, "body_unreadable", "Could not read the request body");
  std::string body(cx.result_bytes(r.bytes));
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) co_return json::object();
  auto parsed = parse_json(body);
  if (!parsed || !parsed->is_object())
    co_return admin_error(400, "invalid_json", "The request body must be a JSON object.");
  co_return std::move(*parsed);
}
} // namespace

Task<void> handle(Ctx &cx) {
  AdminCall call;
  RouteMatch m = match_admin_route(cx.req.method, cx.req.path);
  if (!m.route) {
    if (!m.allow.empty()) {
      ApiError e = admin_error(405, "method_not_allowed",
                               "Method " + cx.req.method + " is not allowed on " + cx.req.path +
                                   "; use " + m.allow);
      e.headers = {{"allow", m.allow}};
      fail(cx, call, e);
    } else {
      fail(cx, call, not_found_route(cx.req.method, cx.req.path));
    }
    co_return;
  }
  call.params = std::move(m.params);
  const AdminRoute &route = *m.route;
  if (!cx.req.has_db) {
    fail(cx, call, storage_error());
    co_return;
  }

  if (route.access != Access::Public) {
    auto found = co_await load_session(cx, call);
    if (!found.ok()) {
      fail(cx, call, found.error());
      co_return;
    }
    std::optional<Session> &s = found.value();
    if (!s) {
      if (route.access != Access::Optional) {
        if (session_cookie_seen(cx.req))
          call.extra.emplace_back("set-cookie", clear_cookie_value());
        fail(cx, call, admin_error(401, "not_logged_in", "Log in first: POST /api/admin/login."));
        co_return;
      }
    } else {
      call.authed = true;
      call.session = std::move(*s);
      if (is_state_changing(cx.req.method)) {
        CsrfCheck c = check_csrf(cx.req, call.session.csrf_token);
        if (c != CsrfCheck::Ok) {
          fail(cx, call, admin_error(403, "csrf_failed", csrf_message(c)));
          co_return;
        }
      }
      if (call.session.must_change_password && route.access == Access::Admin) {
        fail(cx, call,
             admin_error(403, "password_change_required",
                         "The default password must be changed first: POST /api/admin/password."));
        co_return;
      }
    }
  }

  if (route.reads_body) {
    auto body = co_await read_json_body(cx, route.max_body);
    if (!body.ok()) {
      fail(cx, call, std::move(body).error());
      co_return;
    }
    call.body = std::move(body).value();
  }
  co_await route.run(cx, call);
}

} // namespace g2a::admin
