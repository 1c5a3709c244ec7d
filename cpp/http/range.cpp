// Range header parsing.
#include "http/range.h"

#include <charconv>

namespace g2a {

static bool parse_num(std::string_view s, long long &v) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

RangeParse parse_range(std::string_view h, long long size, ByteRange &out) {
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  while (!h.empty() && h.back() == ' ') h.remove_suffix(1);
  if (h.empty()) return RangeParse::None;
  if (h.substr(0, 6) != "bytes=") return RangeParse::Unsatisfiable;
  std::string_view spec = h.substr(6);
  while (!spec.empty() && spec.front() == ' ') spec.remove_prefix(1);
  if (spec.find(',') != std::string_view::npos) return RangeParse::Unsatisfiable;
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos || size <= 0) return RangeParse::Unsatisfiable;
  std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
  long long x = 0, y = 0;
  if (a.empty()) { // suffix: last n bytes
    if (!parse_num(b, y) || y == 0) return RangeParse::Unsatisfiable;
    out.start = y >= size ? 0 : size - y;
    out.end = size - 1;
    return RangeParse::Satisfiable;
  }
  if (!parse_num(a, x) || x >= size) return RangeParse::Unsatisfiable;
  if (b.empty()) {
    out.start = x;
    out.end = size - 1;
    return RangeParse::Satisfiable;
  }
  if (!parse_num(b, y) || y < x) return RangeParse::Unsatisfiable;
  out.start = x;
  out.end = y >= size ? size - 1 : y;
  return RangeParse::Satisfiable;
}

std::string content_range(const ByteRange &r, long long size) {
  return "bytes " + std::to_string(r.start) + "-" + std::to_string(r.end) + "/" +
         std::to_string(size);
}

} // namespace g2a
