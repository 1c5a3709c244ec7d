// The /v1 pipeline: CORS preflight, route lookup (404/405 in OpenAI's shape), 401 without an
// API key (before the body is read), the request body gate (413 over MAX_REQUEST_BYTES, 408
// when the body is not all there within 60 s, 400 for malformed JSON), dispatch, and then the
// bookkeeping after the response (and any stream) has finished: exactly one request_logs row
// for every request whose key matched a stored key, and a count in refused_requests, not a
// row, for the others (refused_requests.h).
#include "app/refused_requests.h"
#include "app/request_log.h"
#include "app/routes.h"
#include "app/v1_call.h"
#include "app/v1_routes.h"
#include "auth/api_keys.h"
#include "core/bytes.h"

namespace g2a::app {

namespace {

// A body still arriving this long after it was asked for is abandoned (408): 20 MB at the
// pace of a slow mobile link fits, a body dripped byte by byte does not hold the request.
constexpr long long kBodyTimeoutMs = 60 * 1000;

Task<void> dispatch(Ctx &cx, V1Call &call) {
  const V1Route *route = find_v1_route(cx.req.path, cx.req.method);
  if (!route) {
    call.dialect = dialect_for_unrouted(cx.req);
    call.fail(cx, not_found_route(cx.req.method, cx.req.path));
    co_return;
  }
  call.route = route->name;
  call.dialect = route->dialect;
  if (cx.req.method != route->method &&
      !(route->method == std::string_view("GET") && cx.req.method == "HEAD")) {
    call.fail(cx, method_not_allowed("Method " + cx.req.method + " is not allowed on " +
                                         cx.req.path + "; use " + std::string(route->method),
                                     route->method));
    co_return;
  }
  // Every /v1 route needs a key: without one, nothing else is worth reading.
  if (!auth::api_key(cx.req)) {
    call.fail(cx, auth::missing_key_error());
    co_return;
  }
  if (route->reads_body) {
    long long max = cx.req.var_int("MAX_REQUEST_BYTES", 20LL * 1024 * 1024);
    auto res = co_await cx.run({fx::read_body(max, kBodyTimeoutMs)});
    const auto r = fx::ReadBodyResult::of(fx::result_at(res));
    if (r.too_large) {
      ApiError e{.status = 413,
                 .type = "invalid_request_error",
                 .message = "Request body is larger than " + std::to_string(max) + " bytes",
                 .code = "request_too_large"};
      call.fail(cx, e);
      co_return;
    }
    if (r.timeout) {
      ApiError e = invalid_request("The request body did not arrive within " +
                                       std::to_string(kBodyTimeoutMs / 1000) + " seconds.",
                                   {}, "request_timeout");
      e.status = 408;
      call.fail(cx, e);
      co_return;
    }
    if (!r.ok) {
      call.fail(cx, invalid_request("Could not read the request body", {}, "body_unreadable"));
      co_return;
    }
    cx.req.body = std::string(cx.result_bytes(r.bytes));
  }
  co_await route->run(cx, call);
}

// A request refused before its key was checked (bad body, unknown model, …): whether the key
// is a stored one decides between a log row and a count, so look it up (a read, no write).
Task<void> identify_key(Ctx &cx, V1Call &call) {
  auto key = auth::api_key(cx.req);
  if (!key) co_return;
  auto digest = co_await cx.run({fx::sha256(*key)});
  std::string hash(fx::CryptoResult::of(fx::result_at(digest)).hex);
  if (hash.empty()) co_return;
  auto res = co_await cx.run(
      {fx::d1({{"SELECT id, name FROM api_keys WHERE key_hash = ?1", json::array({hash})}})});
  const json &rows = fx::D1Result::of(fx::result_at(res)).rows(0);
  if (rows.is_array() && !rows.empty() && !str_or(rows[0], "id").empty()) {
    call.key_id = str_or(rows[0], "id");
    call.key_name = str_or(rows[0], "name");
  }
}

} // namespace

Task<void> v1(Ctx &cx) {
  if (cx.req.method == "OPTIONS") {
    Headers h = cors_headers();
    h.emplace_back("access-control-allow-methods", "GET, POST, DELETE, OPTIONS");
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
  if (call.key_id.empty() && !call.key_checked) co_await identify_key(cx, call);
  if (!call.key_id.empty()) {
    // The log row, with what rides along (the last account release, a refund).
    std::vector<fx::Stmt> last = std::move(call.closing);
    last.push_back(request_log_insert(cx, call));
    co_await cx.run({fx::d1(std::move(last))});
  } else {
    if (!call.closing.empty()) co_await cx.run({fx::d1(std::move(call.closing))});
    co_await count_refused(cx, logged_status(cx, call), call.error_code);
  }
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
