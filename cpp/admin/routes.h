// The admin route table and its matcher (pure): method + path pattern with {} segments, who
// may call it, and whether the JSON body is read.
#pragma once

#include "admin/handlers.h"

#include <string>
#include <string_view>
#include <vector>

namespace g2a::admin {

enum class Access {
  Public,   // login: no session
  Optional, // logout: works with or without a session
  Session,  // session, password: a session, even one that must change its password
  Admin,    // everything else: a session whose password has been changed
};

struct AdminRoute {
  std::string_view method;
  std::string_view pattern; // e.g. "/api/admin/tokens/{}/test"
  Access access;
  bool reads_body;
  Handler run;
};

struct RouteMatch {
  const AdminRoute *route = nullptr;
  std::vector<std::string> params;
  std::string allow; // when the path exists under other methods: "GET, POST"
};

RouteMatch match_admin_route(std::string_view method, std::string_view path);

} // namespace g2a::admin
