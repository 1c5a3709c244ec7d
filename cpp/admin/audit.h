// The audit trail: one row per successful admin write (who, what, on what, when, from where),
// with a secret-free JSON detail, and its listing (GET /api/admin/audit).
#pragma once

#include "admin/call.h"

#include <string_view>

namespace g2a::admin {

fx::Stmt audit_stmt(const Ctx &cx, std::string_view username, std::string_view action,
                    std::string_view target, const json &detail = json::object());
inline fx::Stmt audit_stmt(const Ctx &cx, const AdminCall &call, std::string_view action,
                           std::string_view target, const json &detail = json::object()) {
  return audit_stmt(cx, call.session.username, action, target, detail);
}

Task<void> audit_list(Ctx &cx, AdminCall &call); // GET /api/admin/audit

} // namespace g2a::admin
