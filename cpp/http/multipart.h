// A strict, bounded RFC 7578 multipart/form-data parser for request bodies (image edits,
// uploads). Part bodies are never copied: FormPart::data views into the caller's body, which
// must outlive the parts. Accepted: CRLF line endings (bare LF tolerated), quoted and
// unquoted Content-Disposition parameters (RFC 7578 §4.2 percent/backslash quoting as browsers
// and Node send it), a preamble before the first boundary and an epilogue after the last,
// transport padding after a boundary. Refused with a message: no first boundary, a missing
// final boundary (truncated body), a part without `Content-Disposition: form-data; name=…`,
// header blocks over kMaxPartHeaderBytes, more than max_parts parts.
#pragma once

#include "core/result.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace g2a {

// The boundary of a `multipart/form-data; boundary=…` content type (quoted or not, any
// parameter order, case-insensitive names); nullopt for another type or a boundary that is
// missing, empty, longer than 70 characters, or holds characters RFC 2046 does not allow.
std::optional<std::string> multipart_boundary(std::string_view content_type);

struct FormPart {
  std::string name;         // Content-Disposition name (unquoted, unescaped)
  std::string filename;     // Content-Disposition filename ("" when absent or empty)
  std::string content_type; // the part's Content-Type, "" when absent
  std::string_view data;    // the part's bytes: a view into the body passed to parse_multipart
  bool is_file = false;     // a filename parameter was present (even an empty one)
};

inline constexpr size_t kMaxPartHeaderBytes = 8 * 1024; // one part's header block
inline constexpr size_t kMaxPartHeaders = 16;           // header lines in one part

// Parts in body order, or an error message (for a 400). `max_parts` bounds the work an
// attacker can cause; parts beyond it are an error, not silently dropped.
Result<std::vector<FormPart>, std::string>
parse_multipart(std::string_view body, std::string_view boundary, size_t max_parts = 64);

} // namespace g2a
