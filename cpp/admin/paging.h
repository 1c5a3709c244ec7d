// Cursor paging over rows ordered newest first by an integer timestamp ("before" cursors):
// query parsing for before/limit, and the next cursor that neither skips nor repeats rows
// that share a timestamp across a page boundary.
#pragma once

#include "core/json.h"
#include "http/api_result.h"
#include "http/request.h"

#include <optional>

namespace g2a::admin {

struct PageQuery {
  long long before = 0; // 0: from the newest
  int limit = 50;
};

// Reads ?before= (positive integer ms) and ?limit= (integer, clamped to 1..max_limit).
ApiResult<PageQuery> page_query(const Request &req, int default_limit, int max_limit);

// `rows` were fetched with LIMIT limit + 1, newest first. Trims them to the page and returns
// the next cursor (null when there is no further page). Rows sharing the last timestamp are
// moved to the next page (cursor = that timestamp + 1) unless the whole page shares it.
json paginate(json &rows, int limit, const char *ts_field = "ts");

// A strict decimal integer (optional leading '-'); nullopt otherwise.
std::optional<long long> parse_int(std::string_view s);

} // namespace g2a::admin
