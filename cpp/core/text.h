// The small text helpers the parsers share: ASCII whitespace trim, ASCII case-insensitive
// equality, whole-string decimal integers and UTF-8 code point counting (lengths as OpenAI
// counts them). Pure, header-only.
#pragma once

#include <charconv>
#include <cstddef>
#include <optional>
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

// ASCII case: A-Z lowered, every other byte unchanged (no locale, UTF-8 untouched).
inline constexpr char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char &c : out) c = lower(c);
  return out;
}

// ASCII letters compared without case; every other byte exactly.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// `s` begins with `prefix`, ASCII letters compared without case.
inline bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// `url` is an http:// or https:// URL by its scheme, in any case (RFC 3986 §3.1).
inline bool is_http_url(std::string_view url) {
  return istarts_with(url, "https://") || istarts_with(url, "http://");
}

// `s` as a decimal integer of type T when all of it is one (std::from_chars: an optional '-'
// for signed types, no '+', no spaces, no overflow); nullopt otherwise.
template <typename T> std::optional<T> parse_int(std::string_view s) {
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// The same, and within [lo, hi].
template <typename T> std::optional<T> parse_int_in(std::string_view s, T lo, T hi) {
  auto v = parse_int<T>(s);
  if (!v || *v < lo || *v > hi) return std::nullopt;
  return v;
}

// Code points of UTF-8 text (bytes that are not continuation bytes).
inline size_t code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// At most `max` bytes of UTF-8 text, cut before a character that would not fit whole.
inline std::string_view utf8_prefix(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

} // namespace g2a::text
