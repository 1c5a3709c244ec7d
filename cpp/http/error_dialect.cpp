// Error shapes per client API (see error_dialect.h).
#include "http/error_dialect.h"

namespace g2a {

std::string_view anthropic_error_type(int status) {
  switch (status) {
  case 401:
    return "authentication_error";
  case 402:
    return "billing_error";
  case 403:
    return "permission_error";
  case 404:
    return "not_found_error";
  case 409:
    return "conflict_error";
  case 413:
    return "request_too_large";
  case 429:
    return "rate_limit_error";
  case 504:
    return "timeout_error";
  case 529:
    return "overloaded_error";
  default:
    break;
  }
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}

json error_body(const ApiError &e, ErrorDialect d, std::string_view request_id) {
  if (d == ErrorDialect::OpenAI) return error_body(e);
  json body{{"type", "error"},
            {"error", {{"type", anthropic_error_type(e.status)}, {"message", e.message}}}};
  if (!request_id.empty()) body["request_id"] = request_id;
  return body;
}

std::string error_sse_event(const ApiError &e, ErrorDialect d, std::string_view request_id) {
  if (d == ErrorDialect::OpenAI) return error_sse_event(e);
  std::string s = "event: error\ndata: ";
  s += dump(error_body(e, d, request_id));
  s += "\n\n";
  return s;
}

} // namespace g2a
