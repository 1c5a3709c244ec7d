// The admin route table and its matcher (pure): method + path pattern with {} segments, who
// may call it, whether the JSON body is read and how large it may be.
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

// Largest admin body (a login is under 1 KB): checked before anything is parsed.
inline constexpr long long kAdminBodyMax = 64 * 1024;
// The token import (behind a session and CSRF) takes up to 10,000 pasted cookies.
inline constexpr long long kImportBodyMax = 8LL * 1024 * 1024;
// A body still arriving this long after it was asked for is abandoned (408): a client that
// drips its body byte by byte holds nothing longer than this.
inline constexpr long long kAdminBodyTimeoutMs = 10 * 1000;

struct AdminRoute {
  std::string_view method;
  std::string_view pattern; // e.g. "/api/admin/tokens/{}/test"
  Access access;
  bool reads_body;
  Handler run;
  long long max_body = kAdminBodyMax;
};

struct RouteMatch {
  const AdminRoute *route = nullptr;
  std::vector<std::string> params;
  std::string allow; // when the path exists under other methods: "GET, POST"
};

RouteMatch match_admin_route(std::string_view method, std::string_view path);

} // namespace g2a::admin
