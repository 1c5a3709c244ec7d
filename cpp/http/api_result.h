// ApiResult<T>: a value, or the ApiError (OpenAI-shaped, with its HTTP status) that refused it
// — the core's Result (core/result.h) at the HTTP layer.
#pragma once

#include "core/result.h"
#include "http/api_error.h"

namespace g2a {

template <class T> using ApiResult = Result<T, ApiError>;

} // namespace g2a
