// Request-body JSON checks shared by the JSON routes (simdjson, no exceptions).
#pragma once

#include "http/api_error.h"

#include <optional>
#include <string_view>

namespace g2a {

// 400 invalid_request_error when the body is empty, not JSON, or not a JSON object.
std::optional<ApiError> check_json_object(std::string_view body);

} // namespace g2a
