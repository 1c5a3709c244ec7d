// The error shapes of the client APIs the gateway speaks. Errors are built once, OpenAI-style
// (ApiError: status, type, code, param, message); the route's dialect decides how they are
// written: OpenAI's {"error":{message,type,param,code}} or Anthropic's
// {"type":"error","error":{type,message},"request_id"} with the type Anthropic gives the status.
#pragma once

#include "http/api_error.h"

#include <string>
#include <string_view>

namespace g2a {

enum class ErrorDialect { OpenAI, Anthropic };

// Anthropic's error type for an HTTP status (400 invalid_request_error … 529 overloaded_error).
std::string_view anthropic_error_type(int status);

json error_body(const ApiError &e, ErrorDialect d, std::string_view request_id = {});
// One SSE event for a failure after a stream has started: OpenAI's "data: {error}", or
// Anthropic's named "event: error".
std::string error_sse_event(const ApiError &e, ErrorDialect d, std::string_view request_id = {});

} // namespace g2a
