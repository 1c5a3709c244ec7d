// Writing responses through the request context: JSON bodies with the right content type, CORS
// for the OpenAI surface, and errors (http/api_error.h) in the route's dialect.
#pragma once

#include "core/context.h"
#include "core/json.h"
#include "http/api_error.h"
#include "http/error_dialect.h"

#include <string>
#include <string_view>

namespace g2a {

Headers cors_headers();
void respond_json(Ctx &cx, int status, const json &body, Headers extra = {});
void respond_error(Ctx &cx, const ApiError &e);
void respond_error(Ctx &cx, const ApiError &e, ErrorDialect d, std::string_view request_id = {});

} // namespace g2a
