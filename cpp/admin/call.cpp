// Answers and errors of the admin API.
#include "admin/call.h"

namespace g2a::admin {

Headers admin_headers(const AdminCall &call, std::string_view content_type) {
  Headers h{{"content-type", std::string(content_type)},
            {"cache-control", "no-store"},
            {"x-content-type-options", "nosniff"}};
  for (const auto &kv : call.extra) h.push_back(kv);
  return h;
}

void reply(Ctx &cx, AdminCall &call, int status, const json &body) {
  cx.respond(status, admin_headers(call), dump(body));
}

void fail(Ctx &cx, AdminCall &call, ApiError e) {
  Headers h = admin_headers(call);
  for (auto &kv : e.headers) h.push_back(std::move(kv));
  cx.respond(e.status, std::move(h), dump(error_body(e)));
}

static const char *type_for(int status) {
  switch (status) {
  case 400:
    return "invalid_request_error";
  case 401:
    return "authentication_error";
  case 403:
    return "permission_error";
  case 404:
    return "not_found_error";
  case 405:
    return "invalid_request_error";
  case 409:
    return "conflict_error";
  case 413:
    return "invalid_request_error";
  case 429:
    return "rate_limit_error";
  default:
    return status >= 500 ? "server_error" : "invalid_request_error";
  }
}

ApiError admin_error(int status, std::string code, std::string message, std::string param) {
  return ApiError{.status = status,
                  .type = type_for(status),
                  .message = std::move(message),
                  .param = std::move(param),
                  .code = std::move(code)};
}

ApiError storage_error() {
  return admin_error(503, "storage_unavailable",
                     "The gateway's database is unavailable; retry shortly.");
}

ApiError bad_field(std::string param, std::string message) {
  return admin_error(400, "invalid_value", std::move(message), std::move(param));
}

} // namespace g2a::admin
