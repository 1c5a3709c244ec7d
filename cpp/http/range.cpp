// Range header parsing: one byte range is served, everything else is ignored (RFC 9110 §14.2).
#include "http/range.h"
#include "core/text.h"

namespace g2a {

static bool parse_num(std::string_view s, long long &v) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto n = text::parse_int<long long>(s);
  if (n) v = *n;
  return n.has_value();
}

static bool bytes_unit(std::string_view h) {
  return text::istarts_with(h, "bytes=");
}

RangeParse parse_range(std::string_view h, long long size, ByteRange &out) {
  while (!h.empty() && (h.front() == ' ' || h.front() == '\t')) h.remove_prefix(1);
  while (!h.empty() && (h.back() == ' ' || h.back() == '\t')) h.remove_suffix(1);
  // Another unit, or several ranges: ignored (a multipart answer is not worth its cost).
  if (h.empty() || !bytes_unit(h)) return RangeParse::None;
  std::string_view spec = h.substr(6);
  while (!spec.empty() && (spec.front() == ' ' || spec.front() == '\t')) spec.remove_prefix(1);
  if (spec.find(',') != std::string_view::npos) return RangeParse::None;
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeParse::None;
  std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
  long long x = 0, y = 0;
  if (a.empty()) { // suffix: the last n bytes
    if (!parse_num(b, y)) return RangeParse::None;
    if (y == 0 || size <= 0) return RangeParse::Unsatisfiable;
    out.start = y >= size ? 0 : size - y;
    out.end = size - 1;
    return RangeParse::Satisfiable;
  }
  if (!parse_num(a, x)) return RangeParse::None;
  if (!b.empty() && (!parse_num(b, y) || y < x)) return RangeParse::None; // invalid: ignored
  if (x >= size) return RangeParse::Unsatisfiable;
  out.start = x;
  out.end = b.empty() || y >= size ? size - 1 : y;
  return RangeParse::Satisfiable;
}

std::string content_range(const ByteRange &r, long long size) {
  return "bytes " + std::to_string(r.start) + "-" + std::to_string(r.end) + "/" +
         std::to_string(size);
}

} // namespace g2a
