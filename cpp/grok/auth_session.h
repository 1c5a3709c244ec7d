// GET /api/auth/session (reference §2.2, §2.5): the account's user id (needed for the mgw
// WebSocket's `x-userid` cookie and `?uid=`) and whether the credential is still alive.
#pragma once

#include <string>
#include <string_view>

namespace g2a::grok {

struct SessionInfo {
  std::string user_id;
  // Authenticated: a user id was found (or status says so). Unauthenticated / Blocked: the
  // credential is dead. Unknown: not JSON, or neither an id nor a status we understand.
  enum class State { Authenticated, Unauthenticated, Blocked, Unknown } state = State::Unknown;
};

// User id from `session.userId`, else `user.id` / `user.userId` / `user.sub`, else top-level
// `id` / `userId` / `sub`. `status` "unauthenticated" or "blocked" (any case), or an `error`
// naming blocked-user, wins over an id.
SessionInfo parse_auth_session(std::string_view body);

} // namespace g2a::grok
