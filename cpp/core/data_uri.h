// The one reader of RFC 2397 data: URIs — `data:[<mediatype>][;<param>]*[;base64],<data>` —
// for every place that takes an image as a data URI (chat, responses, image edits, videos).
// Nothing is copied or decoded: the parts are views into the URI (decode a base64 payload
// with core/bytes.h). Pure, header-only.
#pragma once

#include "core/text.h"

#include <optional>
#include <string_view>

namespace g2a {

struct DataUri {
  std::string_view media_type; // "image/png" as sent; "" when absent (text/plain by the RFC)
  std::string_view params;     // ";charset=x" — the parameters after the type, not ;base64
  bool is_base64 = false;      // the last parameter before ',' is `base64` (any case)
  std::string_view payload;    // everything after the first ','
};

// The scheme is `data:` in any case (RFC 3986 §3.1: schemes are case-insensitive).
inline bool is_data_uri(std::string_view s) {
  return text::istarts_with(s, "data:");
}

// The parts of a data: URI; nullopt when it is not one or has no ',' before its payload.
inline std::optional<DataUri> parse_data_uri(std::string_view uri) {
  if (!is_data_uri(uri)) return std::nullopt;
  size_t comma = uri.find(',', 5);
  if (comma == std::string_view::npos) return std::nullopt;
  DataUri d;
  std::string_view meta = uri.substr(5, comma - 5);
  d.payload = uri.substr(comma + 1);
  size_t last = meta.rfind(';');
  if (last != std::string_view::npos && text::iequals(meta.substr(last + 1), "base64")) {
    d.is_base64 = true;
    meta = meta.substr(0, last);
  }
  size_t semi = meta.find(';');
  d.media_type = meta.substr(0, semi);
  if (semi != std::string_view::npos) d.params = meta.substr(semi);
  return d;
}

} // namespace g2a
