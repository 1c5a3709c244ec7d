// The out-of-line parts of the strict JSON cursor (see strict_json.h): UTF-8 characters,
// unescaping, and validating a skipped value.
#include "grok/strict_json.h"

namespace g2a::grok {

void UnescapeBuffer::grow(size_t n) {
  size_t cap = cap_ ? cap_ : 256;
  while (cap < n) cap *= 2;
  p_.reset(new char[cap]);
  cap_ = cap;
}

namespace strict {

namespace {

constexpr int kMaxDepth = 8;

bool cont(const uint8_t *p, const uint8_t *e, size_t i) {
  return i < static_cast<size_t>(e - p) && (p[i] & 0xC0) == 0x80;
}

char simple_escape(uint8_t c) { // 0: not one of the escapes this path reads
  switch (c) {
  case '"':
    return '"';
  case '\\':
    return '\\';
  case '/':
    return '/';
  case 'b':
    return '\b';
  case 'f':
    return '\f';
  case 'n':
    return '\n';
  case 'r':
    return '\r';
  case 't':
    return '\t';
  default:
    return 0;
  }
}

// A string at p (at its opening quote), escapes checked but nothing kept.
const uint8_t *skip_string(const uint8_t *p, const uint8_t *e) {
  ++p;
  for (;;) {
    p = scan_plain(p, e);
    if (!p) return nullptr;
    if (*p == '"') return p + 1;
    if (e - p < 2 || !simple_escape(p[1])) return nullptr;
    p += 2;
  }
}

// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
const uint8_t *skip_number(const uint8_t *p, const uint8_t *e) {
  auto digit = [&] { return p < e && *p >= '0' && *p <= '9'; };
  if (p < e && *p == '-') ++p;
  if (!digit()) return nullptr;
  if (*p == '0') {
    ++p;
  } else {
    while (digit()) ++p;
  }
  if (p < e && *p == '.') {
    ++p;
    if (!digit()) return nullptr;
    while (digit()) ++p;
  }
  if (p < e && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < e && (*p == '+' || *p == '-')) ++p;
    if (!digit()) return nullptr;
    while (digit()) ++p;
  }
  return delimited(p, e) ? p : nullptr;
}

const uint8_t *skip_literal(const uint8_t *p, const uint8_t *e, const char *word, size_t n) {
  if (static_cast<size_t>(e - p) < n || std::memcmp(p, word, n) != 0) return nullptr;
  p += n;
  return delimited(p, e) ? p : nullptr;
}

} // namespace

// One multi-byte UTF-8 character (RFC 3629: no overlongs, surrogates or > U+10FFFF).
const uint8_t *utf8_char(const uint8_t *p, const uint8_t *e) {
  uint8_t c = *p;
  if (c >= 0xC2 && c <= 0xDF) return cont(p, e, 1) ? p + 2 : nullptr;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(p, e, 1) || !cont(p, e, 2)) return nullptr;
    if (c == 0xE0 && p[1] < 0xA0) return nullptr;
    if (c == 0xED && p[1] > 0x9F) return nullptr;
    return p + 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(p, e, 1) || !cont(p, e, 2) || !cont(p, e, 3)) return nullptr;
    if (c == 0xF0 && p[1] < 0x90) return nullptr;
    if (c == 0xF4 && p[1] > 0x8F) return nullptr;
    return p + 4;
  }
  return nullptr;
}

// The simple escapes only; \u (surrogates, replacement) goes to simdjson.
const uint8_t *unescape(const uint8_t *s, const uint8_t *p, const uint8_t *e, UnescapeBuffer &buf,
                        std::string_view &out) {
  char *d0 = buf.take(0);
  char *d = d0;
  for (;;) {
    size_t n = static_cast<size_t>(p - s);
    std::memcpy(d, s, n);
    d += n;
    if (*p == '"') break;
    // *p == '\\'
    char r = e - p >= 2 ? simple_escape(p[1]) : 0;
    if (!r) return nullptr;
    *d++ = r;
    s = p + 2;
    p = scan_plain(s, e);
    if (!p) return nullptr;
  }
  size_t len = static_cast<size_t>(d - d0);
  buf.take(len);
  out = std::string_view(d0, len);
  return p + 1;
}

const uint8_t *skip_value(const uint8_t *p, const uint8_t *e, int depth) {
  if (p >= e) return nullptr;
  switch (*p) {
  case '"':
    return skip_string(p, e);
  case '{': {
    if (depth >= kMaxDepth) return nullptr;
    p = skip_blanks(p + 1, e);
    if (p < e && *p == '}') return p + 1;
    for (;;) {
      if (p >= e || *p != '"') return nullptr;
      p = skip_string(p, e); // a key: simple escapes are fine, it is not compared
      if (!p) return nullptr;
      p = skip_blanks(p, e);
      if (p >= e || *p != ':') return nullptr;
      p = skip_value(skip_blanks(p + 1, e), e, depth + 1);
      if (!p) return nullptr;
      p = skip_blanks(p, e);
      if (p >= e) return nullptr;
      if (*p == '}') return p + 1;
      if (*p != ',') return nullptr;
      p = skip_blanks(p + 1, e);
    }
  }
  case '[': {
    if (depth >= kMaxDepth) return nullptr;
    p = skip_blanks(p + 1, e);
    if (p < e && *p == ']') return p + 1;
    for (;;) {
      p = skip_value(p, e, depth + 1);
      if (!p) return nullptr;
      p = skip_blanks(p, e);
      if (p >= e) return nullptr;
      if (*p == ']') return p + 1;
      if (*p != ',') return nullptr;
      p = skip_blanks(p + 1, e);
    }
  }
  case 't':
    return skip_literal(p, e, "true", 4);
  case 'f':
    return skip_literal(p, e, "false", 5);
  case 'n':
    return skip_literal(p, e, "null", 4);
  default:
    return skip_number(p, e);
  }
}

} // namespace strict

} // namespace g2a::grok
