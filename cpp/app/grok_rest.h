// One REST call to Grok (grok.com surfaces) with the browser-like headers, the account's
// cookie and a fresh x-statsig-id; a 403 anti-bot / "out of date" answer is retried once with
// a fresh id (re-deriving the local statsig material first when it is out of date). Non-2xx
// answers are read (bounded) and classified.
#pragma once

#include "answer/fault.h"
#include "app/grok_config.h"
#include "core/context.h"

#include <string>

namespace g2a::app {

struct RestCall {
  std::string method = "POST";
  std::string path; // e.g. /rest/app-chat/conversations/new
  std::string cookie;
  json body;         // JSON text body as a string; null = none (see bytes)
  std::string bytes; // binary body, staged right before the fetch (when has_bytes)
  bool has_bytes = false;
  std::string content_type = "application/json";
  std::string referer = "/";
  std::string read = "text"; // text | stream
  long long timeout_ms = 30000;
  long long max_bytes = 4 * 1024 * 1024;
  bool upload_v2 = false; // use the upload-v2 header set (no x-xai-request-id)
};

struct RestReply {
  int status = 0;   // 0: no HTTP answer (network error)
  std::string body; // text reads and non-2xx answers
  int source = -1;  // stream reads of 2xx answers
  std::string content_type;
  answer::Fault fault; // ok() unless the step failed
  bool ok() const { return fault.ok(); }
};

Task<RestReply> grok_rest(Ctx &cx, GrokConfig &cfg, RestCall call);

// A fetch result's Retry-After in seconds; -1 when absent or not a number.
long long retry_after_seconds(const fx::FetchResult &fetch_result);
// The fault of a refused WebSocket upgrade to `socket` ("mgw", "imagine"): the account's own
// (AuthInvalid, RateLimited, with the answer's Retry-After) when the answer says so, else
// HandshakeRefused — a transport problem.
answer::Fault handshake_fault(const fx::FetchResult &upgrade, std::string_view socket);

} // namespace g2a::app
