// AdminCall: what one admin request carries between the router and its handler (the matched
// path parameters, the parsed JSON body, the session), and the helpers every handler answers
// with: JSON with no-store caching, the OpenAI-shaped error, and the Set-Cookie of a sliding
// session re-issue, which rides on whatever the handler answers.
#pragma once

#include "core/context.h"
#include "core/json.h"
#include "http/response.h"

#include <string>
#include <vector>

namespace g2a::admin {

struct Session {
  std::string token_hash; // hex SHA-256 of the cookie value
  std::string username;
  std::string csrf_token;
  bool must_change_password = false;
  long long expires_at = 0;
  long long reissued_at = 0;
  long long created_at = 0; // the login; the session ends 7 days later however it slides
};

struct AdminCall {
  std::vector<std::string> params; // the {} segments of the route pattern, percent-decoded
  json body = json::object();      // the JSON body of POST/PUT/PATCH ({} when empty)
  bool authed = false;
  Session session;
  Headers extra; // added to every answer (e.g. the re-issued session cookie)
};

// Headers of every admin answer: JSON, no caching, no sniffing, plus call.extra.
Headers admin_headers(const AdminCall &call, std::string_view content_type = "application/json");
void reply(Ctx &cx, AdminCall &call, int status, const json &body);
void fail(Ctx &cx, AdminCall &call, ApiError e);

// Errors in the /v1 shape; `type` follows the status (400 invalid_request_error,
// 401 authentication_error, 403 permission_error, 404 not_found_error, 409 conflict_error,
// 429 rate_limit_error, 5xx server_error).
ApiError admin_error(int status, std::string code, std::string message, std::string param = {});
ApiError storage_error();                                   // 503 storage_unavailable
ApiError bad_field(std::string param, std::string message); // 400 invalid_value naming param

} // namespace g2a::admin
