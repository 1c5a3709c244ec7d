// Every admin endpoint's flow (one file per area). The router has checked the session, the
// CSRF rule and the forced password change, and parsed the JSON body, before any of these run.
#pragma once

#include "admin/call.h"

namespace g2a::admin {

using Handler = Task<void> (*)(Ctx &, AdminCall &);

// auth_api.cpp
Task<void> login(Ctx &cx, AdminCall &call);
Task<void> logout(Ctx &cx, AdminCall &call);
Task<void> session_get(Ctx &cx, AdminCall &call);
Task<void> password_change(Ctx &cx, AdminCall &call);
// tokens_api.cpp
Task<void> tokens_list(Ctx &cx, AdminCall &call);
Task<void> tokens_add(Ctx &cx, AdminCall &call);
Task<void> tokens_import(Ctx &cx, AdminCall &call);
Task<void> tokens_export(Ctx &cx, AdminCall &call);
Task<void> tokens_patch(Ctx &cx, AdminCall &call);
Task<void> tokens_delete(Ctx &cx, AdminCall &call);
// token_actions.cpp
Task<void> tokens_test(Ctx &cx, AdminCall &call);
Task<void> tokens_refresh(Ctx &cx, AdminCall &call);
// keys_api.cpp
Task<void> keys_list(Ctx &cx, AdminCall &call);
Task<void> keys_create(Ctx &cx, AdminCall &call);
Task<void> keys_patch(Ctx &cx, AdminCall &call);
Task<void> keys_delete(Ctx &cx, AdminCall &call);
Task<void> models_list(Ctx &cx, AdminCall &call);
// settings_api.cpp
Task<void> settings_get(Ctx &cx, AdminCall &call);
Task<void> settings_put(Ctx &cx, AdminCall &call);
// logs_api.cpp
Task<void> logs_list(Ctx &cx, AdminCall &call);
// stats_api.cpp
Task<void> stats_get(Ctx &cx, AdminCall &call);
// cache_api.cpp
Task<void> cache_list(Ctx &cx, AdminCall &call);
Task<void> cache_delete(Ctx &cx, AdminCall &call);
Task<void> cache_clear(Ctx &cx, AdminCall &call);
// audit.cpp
Task<void> audit_list(Ctx &cx, AdminCall &call);

} // namespace g2a::admin
