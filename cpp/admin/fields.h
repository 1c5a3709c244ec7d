// Small checks shared by the handlers: unknown body fields are refused (a typo must not
// silently do nothing), and path parameters are read without bounds surprises.
#pragma once

#include "admin/call.h"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace g2a::admin {

// 400 unknown_field naming the first field of `body` not in `allowed`.
std::optional<ApiError> reject_unknown_fields(const json &body,
                                              std::initializer_list<std::string_view> allowed);

inline const std::string &param(const AdminCall &call, size_t i) {
  static const std::string empty;
  return i < call.params.size() ? call.params[i] : empty;
}

} // namespace g2a::admin
