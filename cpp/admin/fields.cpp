// Shared field checks.
#include "admin/fields.h"

namespace g2a::admin {

std::optional<ApiError> reject_unknown_fields(const json &body,
                                              std::initializer_list<std::string_view> allowed) {
  if (!body.is_object()) return std::nullopt;
  for (auto it = body.begin(); it != body.end(); ++it) {
    bool known = false;
    for (auto a : allowed) known = known || it.key() == a;
    if (!known)
      return admin_error(400, "unknown_field", "Unknown field '" + it.key() + "'.", it.key());
  }
  return std::nullopt;
}

} // namespace g2a::admin
