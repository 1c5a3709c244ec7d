// The request-log viewer's query (pure): filters by status (an exact code, 2xx/3xx/4xx/5xx, or
// "error" = 400 and above), model, key (id or name), client API (the route's first name part:
// chat, responses, messages, images, models) and a "before" timestamp cursor, newest first,
// parameterised.
#pragma once

#include "admin/call.h"
#include "http/api_result.h"

#include <string>

namespace g2a::admin {

struct LogFilter {
  std::string status; // "" | "404" | "2xx" | ... | "error"
  std::string model;
  std::string key;
  std::string api; // "" | chat | responses | messages | images | models
  long long before = 0;
  int limit = 50;
};

ApiResult<LogFilter> log_filter(const Request &req);
// SELECT with LIMIT limit + 1 (one extra row tells whether another page exists).
fx::Stmt logs_select(const LogFilter &f);
json log_row_json(const json &row);

} // namespace g2a::admin
