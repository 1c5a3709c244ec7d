// Response helpers: JSON bodies with the right content type, CORS for the OpenAI surface,
// and the OpenAI error shape {"error":{message,type,param,code}}.
#pragma once

#include "core/context.h"
#include "core/json.h"

#include <string>

namespace g2a {

Headers cors_headers();
void respond_json(Ctx &cx, int status, const json &body, Headers extra = {});

struct ApiError {
  int status = 500;
  std::string type = "server_error";
  std::string message = "internal error";
  std::string param; // empty -> null
  std::string code;  // empty -> null
  Headers headers;   // e.g. retry-after, x-should-retry
};

json error_body(const ApiError &e);
// Serialises the error as one SSE event (for failures after a stream has started).
std::string error_sse_event(const ApiError &e);
void respond_error(Ctx &cx, const ApiError &e);

ApiError invalid_request(std::string message, std::string param = {}, std::string code = {});
ApiError not_found_route(std::string_view method, std::string_view path);

} // namespace g2a
