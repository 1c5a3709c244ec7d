// The admin route table.
#include "admin/routes.h"

#include "http/request.h"

namespace g2a::admin {

namespace {
using A = Access;
// Literal paths come before patterns so that tokens/import is not taken for tokens/{}.
const AdminRoute kRoutes[] = {
    {"POST", "/api/admin/login", A::Public, true, login},
    {"POST", "/api/admin/logout", A::Optional, false, logout},
    {"GET", "/api/admin/session", A::Session, false, session_get},
    {"POST", "/api/admin/password", A::Session, true, password_change},
    {"GET", "/api/admin/tokens", A::Admin, false, tokens_list},
    {"POST", "/api/admin/tokens", A::Admin, true, tokens_add},
    {"POST", "/api/admin/tokens/import", A::Admin, true, tokens_import, kImportBodyMax},
    {"GET", "/api/admin/tokens/export", A::Admin, false, tokens_export},
    {"PATCH", "/api/admin/tokens/{}", A::Admin, true, tokens_patch},
    {"DELETE", "/api/admin/tokens/{}", A::Admin, false, tokens_delete},
    {"POST", "/api/admin/tokens/{}/test", A::Admin, true, tokens_test},
    {"POST", "/api/admin/tokens/{}/refresh", A::Admin, true, tokens_refresh},
    {"GET", "/api/admin/keys", A::Admin, false, keys_list},
    {"POST", "/api/admin/keys", A::Admin, true, keys_create},
    {"PATCH", "/api/admin/keys/{}", A::Admin, true, keys_patch},
    {"DELETE", "/api/admin/keys/{}", A::Admin, false, keys_delete},
    {"GET", "/api/admin/models", A::Admin, false, models_list},
    {"GET", "/api/admin/settings", A::Admin, false, settings_get},
    {"PUT", "/api/admin/settings", A::Admin, true, settings_put},
    {"GET", "/api/admin/logs", A::Admin, false, logs_list},
    {"GET", "/api/admin/stats", A::Admin, false, stats_get},
    {"GET", "/api/admin/cache", A::Admin, false, cache_list},
    {"POST", "/api/admin/cache/clear", A::Admin, true, cache_clear},
    {"DELETE", "/api/admin/cache/{}", A::Admin, false, cache_delete},
    {"GET", "/api/admin/audit", A::Admin, false, audit_list},
};

// Matches one pattern; fills params on success.
bool match(std::string_view pattern, std::string_view path, std::vector<std::string> &params) {
  params.clear();
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty()) return false;
    size_t ps = pattern.find('/', 1), qs = path.find('/', 1);
    std::string_view pseg = pattern.substr(0, ps), qseg = path.substr(0, qs);
    if (pseg == "/{}") {
      if (qseg.size() < 2) return false;
      params.push_back(percent_decode(qseg.substr(1)));
    } else if (pseg != qseg) {
      return false;
    }
    pattern = ps == std::string_view::npos ? std::string_view() : pattern.substr(ps);
    path = qs == std::string_view::npos ? std::string_view() : path.substr(qs);
  }
  return true;
}
} // namespace

RouteMatch match_admin_route(std::string_view method, std::string_view path) {
  RouteMatch m;
  std::vector<std::string> params;
  // A literal path (tokens/import) shadows the patterns it would also match (tokens/{}).
  bool literal = false;
  for (const auto &r : kRoutes)
    literal = literal || (r.pattern.find("{}") == std::string_view::npos && r.pattern == path);
  for (const auto &r : kRoutes) {
    if (literal && r.pattern != path) continue;
    if (!match(r.pattern, path, params)) continue;
    if (r.method == method) {
      if (!m.route) {
        m.route = &r;
        m.params = params;
      }
    } else if (m.allow.find(r.method) == std::string::npos) {
      if (!m.allow.empty()) m.allow += ", ";
      m.allow += std::string(r.method);
    }
  }
  if (m.route) m.allow.clear();
  return m;
}

} // namespace g2a::admin
