// Response helpers: JSON bodies, CORS, errors written in the route's dialect.
#include "http/response.h"

namespace g2a {

Headers cors_headers() {
  return {{"access-control-allow-origin", "*"},
          {"access-control-expose-headers", "x-request-id, retry-after, x-should-retry"}};
}

void respond_json(Ctx &cx, int status, const json &body, Headers extra) {
  Headers h{{"content-type", "application/json"}};
  for (auto &kv : extra) h.push_back(std::move(kv));
  cx.respond(status, std::move(h), dump(body));
}

void respond_error(Ctx &cx, const ApiError &e) {
  respond_json(cx, e.status, error_body(e), e.headers);
}

void respond_error(Ctx &cx, const ApiError &e, ErrorDialect d, std::string_view request_id) {
  respond_json(cx, e.status, error_body(e, d, request_id), e.headers);
}

} // namespace g2a
