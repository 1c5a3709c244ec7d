// The /v1 pipeline: CORS preflight, route lookup (404/405 in OpenAI's shape), the request
// body gate (413 over MAX_REQUEST_BYTES, 400 for malformed JSON), dispatch, and exactly one
// request_logs row per request, written after the response (and any stream) has finished.
#include "app/request_log.h"
#include "app/routes.h"
#include "app/v1_call.h"
#include "app/v1_routes.h"
#include "core/bytes.h"

namespace g2a::app {

namespace {

Task<void> dispatch(Ctx &cx, V1Call &call) {
  const V1Route *route = find_v1_route(cx.req.path);
  if (!route) {
    call.fail(cx, not_found_route(cx.req.method, cx.req.path));
    co_return;
  }
  call.route = route->name;
  if (cx.req.method != route->method &&
      !(route->method == std::string_view("GET") && cx.req.method == "HEAD")) {
    call.fail(cx, method_not_allowed("Method " + cx.req.method + " is not allowed on " +
                                         cx.req.path + "; use " + std::string(route->method),
                                     route->method));
    co_return;
  }
  if (route->reads_body) {
    long long max = cx.req.var_int("MAX_REQUEST_BYTES", 20LL * 1024 * 1024);
    auto res = co_await cx.run({fx::read_body(max)});
    const json &r = res.empty() ? json() : res[0];
    if (bool_or(r, "too_large")) {
      ApiError e;
      e.status = 413;
      e.type = "invalid_request_error";
      e.message = "Request body is larger than " + std::to_string(max) + " bytes";
      e.code = "request_too_large";
      call.fail(cx, e);
      co_return;
    }
    if (!bool_or(r, "ok")) {
      call.fail(cx, invalid_request("Could not read the request body", {}, "body_unreadable"));
      co_return;
    }
    cx.req.body = std::string(cx.result_bytes(jget(r, "bytes")));
  }
  co_await route->run(cx, call);
}

} // namespace

Task<void> v1(Ctx &cx) {
  if (cx.req.method == "OPTIONS") {
    Headers h = cors_headers();
    h.emplace_back("access-control-allow-methods", "GET, POST, OPTIONS");
    h.emplace_back("access-control-allow-headers",
                   std::string(cx.req.header_or("access-control-request-headers",
                                                "authorization, content-type")));
    h.emplace_back("access-control-max-age", "86400");
    cx.respond(204, std::move(h), "");
    co_return;
  }
  V1Call call;
  std::string rnd = co_await cx.random(12);
  call.id = "req_" + hex_encode(rnd);
  co_await dispatch(cx, call);
  if (!cx.req.has_db) co_return;
  std::vector<fx::Stmt> last = std::move(call.closing);
  last.push_back(request_log_insert(cx, call));
  co_await cx.run({fx::d1(std::move(last))});
}

} // namespace g2a::app

namespace g2a::app {

Task<void> log_aborted(Ctx &cx) {
  const std::string &path = cx.req.path;
  if (!cx.req.has_db || cx.req.method == "OPTIONS" ||
      !(path == "/v1" || path.rfind("/v1/", 0) == 0))
    co_return;
  V1Call call;
  std::string rnd = co_await cx.random(12);
  call.id = "req_" + hex_encode(rnd);
  call.status_override = 500;
  call.error_code = "internal_error";
  call.error_message = "the core trapped while handling this request";
  co_await cx.run({fx::d1({request_log_insert(cx, call)})});
}

} // namespace g2a::app
