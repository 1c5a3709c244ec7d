// "before" cursors.
#include "admin/paging.h"

#include "admin/call.h"

namespace g2a::admin {

std::optional<long long> parse_int(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  bool neg = s.front() == '-';
  if (neg) s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return neg ? -v : v;
}

ApiResult<PageQuery> page_query(const Request &req, int default_limit, int max_limit) {
  PageQuery q;
  q.limit = default_limit;
  if (auto b = req.query_param("before"); b && !b->empty()) {
    auto v = parse_int(*b);
    if (!v || *v <= 0)
      return bad_field("before", "before must be a positive integer timestamp (ms).");
    q.before = *v;
  }
  if (auto l = req.query_param("limit"); l && !l->empty()) {
    auto v = parse_int(*l);
    if (!v) return bad_field("limit", "limit must be an integer.");
    q.limit = static_cast<int>(*v < 1 ? 1 : *v > max_limit ? max_limit : *v);
  }
  return q;
}

json paginate(json &rows, int limit, const char *ts_field) {
  if (!rows.is_array() || rows.size() <= static_cast<size_t>(limit)) return nullptr;
  long long next_ts = int_or(rows[static_cast<size_t>(limit)], ts_field);
  rows.erase(rows.begin() + limit, rows.end());
  long long last = int_or(rows.back(), ts_field);
  if (next_ts != last) return last;
  size_t keep = rows.size();
  while (keep > 0 && int_or(rows[keep - 1], ts_field) == last) --keep;
  if (keep == 0) return last; // the whole page shares one timestamp: cannot do better
  rows.erase(rows.begin() + static_cast<long>(keep), rows.end());
  return last + 1;
}

} // namespace g2a::admin
