// HTTP Range requests (RFC 9110 §14) for one byte range: "bytes=a-b", "bytes=a-", "bytes=-n".
// Anything else — another unit, several ranges, a malformed spec or numbers of more than 18
// digits — is ignored (the whole body with 200), as RFC 9110 §14.2 allows; only a well-formed
// single range that the body cannot satisfy is 416.
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
  None,          // no Range header, or one that is ignored: the whole body (200)
  Satisfiable,   // serve `out` with 206
  Unsatisfiable, // one well-formed byte range starting past the end, or "bytes=-0": 416
};

RangeParse parse_range(std::string_view header, long long size, ByteRange &out);
std::string content_range(const ByteRange &r, long long size); // "bytes a-b/size"

} // namespace g2a
