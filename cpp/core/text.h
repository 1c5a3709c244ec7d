// The small text helpers the parsers share: ASCII whitespace trim, ASCII case-insensitive
// equality and UTF-8 code point counting (lengths as OpenAI counts them). Pure, header-only.
#pragma once

#include <cstddef>
#include <string_view>

namespace g2a::text {

// What each grammar calls whitespace.
inline constexpr std::string_view kSpaceTabCrLf = " \t\r\n";
inline constexpr std::string_view kSpaceTab = " \t";        // HTTP OWS (RFC 9110)
inline constexpr std::string_view kHtmlSpace = " \t\n\r\f"; // HTML ASCII whitespace
inline constexpr std::string_view kCSpace = " \t\n\r\f\v";  // C isspace

// `s` without leading and trailing bytes of `space` (spaces, tabs, CR and LF by default).
inline std::string_view trim(std::string_view s, std::string_view space = kSpaceTabCrLf) {
  size_t a = s.find_first_not_of(space);
  if (a == std::string_view::npos) return {};
  size_t b = s.find_last_not_of(space);
  return s.substr(a, b - a + 1);
}

// ASCII letters compared without case; every other byte exactly.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Code points of UTF-8 text (bytes that are not continuation bytes).
inline size_t code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

} // namespace g2a::text
