// The one error value of the core, OpenAI-shaped: ApiError (status, type, message, param, code,
// headers, and a detail kept for the log) with the constructors for the common cases, and its
// OpenAI serialisations. Pure: writing it to a response is http/response.h's job.
#pragma once

#include "core/json.h"
#include "http/request.h" // Headers

#include <string>
#include <string_view>

namespace g2a {

struct ApiError {
  int status = 500;
  std::string type = "server_error";
  std::string message = "internal error";
  std::string param;  // empty -> null
  std::string code;   // empty -> null
  Headers headers;    // e.g. retry-after, x-should-retry
  std::string detail; // kept in the request log beside the message, never sent to the client
};

json error_body(const ApiError &e);
// Serialises the error as one SSE event (for failures after a stream has started).
std::string error_sse_event(const ApiError &e);

ApiError invalid_request(std::string message, std::string param = {}, std::string code = {});
ApiError not_found_route(std::string_view method, std::string_view path);
// 404 model_not_found naming the model; `what` ends the message (e.g. "an image model").
ApiError model_not_found(std::string_view model, std::string_view what = {});
// 405 with an Allow header.
ApiError method_not_allowed(std::string_view message, std::string_view allow);
// 503 when D1 does not answer.
ApiError storage_unavailable();

} // namespace g2a
