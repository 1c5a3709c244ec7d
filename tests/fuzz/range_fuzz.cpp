// libFuzzer target: HTTP Range headers (http/range.h). The first 8 bytes pick the body size;
// the rest is the header. A satisfiable range always lies inside the body, and its
// Content-Range text reads back as the same numbers; only a single "bytes=" range is ever
// refused (416), anything else is ignored.
#include "http/range.h"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace g2a;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint64_t raw = 0;
  size_t head = size < 8 ? size : 8;
  std::memcpy(&raw, data, head);
  // Mostly small sizes (where edge cases live), sometimes huge ones, never negative.
  long long body = (raw & 1) ? static_cast<long long>(raw >> 1) : static_cast<long long>((raw >> 1) % 4096);
  std::string_view header(reinterpret_cast<const char *>(data) + head, size - head);

  ByteRange r{-7, -7};
  RangeParse p = parse_range(header, body, r);
  if (p == RangeParse::Unsatisfiable) {
    // Only one well-formed byte range is ever refused: never another unit or several ranges.
    std::string_view h = header;
    while (!h.empty() && (h.front() == ' ' || h.front() == '\t')) h.remove_prefix(1);
    if (h.size() < 6 || h.find(',') != std::string_view::npos) std::abort();
    for (size_t i = 0; i < 6; ++i)
      if (std::tolower(static_cast<unsigned char>(h[i])) != "bytes="[i]) std::abort();
  }
  if (p != RangeParse::Satisfiable) return 0;
  if (body <= 0 || r.start < 0 || r.end < r.start || r.end >= body) std::abort();
  if (r.length() < 1 || r.length() > body) std::abort();
  std::string cr = content_range(r, body);
  std::string want = "bytes " + std::to_string(r.start) + "-" + std::to_string(r.end) + "/" +
                     std::to_string(body);
  if (cr != want) std::abort();
  // The same header asks for the same range again (pure function).
  ByteRange again;
  if (parse_range(header, body, again) != p || again.start != r.start || again.end != r.end)
    std::abort();
  return 0;
}
