// HTTP Range requests (RFC 9110 §14) for one byte range: "bytes=a-b", "bytes=a-", "bytes=-n".
#pragma once

#include <string>
#include <string_view>

namespace g2a {

struct ByteRange {
  long long start = 0;
  long long end = 0; // inclusive
  long long length() const { return end - start + 1; }
};

enum class RangeParse {
  None,          // no Range header: the whole body
  Satisfiable,   // serve `out` with 206
  Unsatisfiable, // malformed, several ranges, or outside the body: 416
};

RangeParse parse_range(std::string_view header, long long size, ByteRange &out);
std::string content_range(const ByteRange &r, long long size); // "bytes a-b/size"

} // namespace g2a
