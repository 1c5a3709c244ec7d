// Recognising an image by its first bytes (magic numbers), once for every parser and loader:
// the formats Grok takes (PNG, JPEG, WebP) and GIF, which chat vision accepts but image edits do
// not. Pure, header-only.
#pragma once

#include <string_view>

namespace g2a {

// "image/png" | "image/jpeg" | "image/webp" | "image/gif", or "" when `b` is none of them.
inline std::string_view sniff_image_type(std::string_view b) {
  auto starts = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
  if (starts(std::string_view("\x89PNG\r\n\x1a\n", 8))) return "image/png";
  if (starts("\xff\xd8\xff")) return "image/jpeg";
  if (b.size() >= 12 && starts("RIFF") && b.substr(8, 4) == "WEBP") return "image/webp";
  if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
  return {};
}

} // namespace g2a
