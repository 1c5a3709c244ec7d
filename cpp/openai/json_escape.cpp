// JSON string escaping for the streaming hot path: plain ASCII is found eight bytes at a time
// (SWAR) and copied in bulk together with valid multi-byte UTF-8; only the rare bytes that
// need work (quotes, backslashes, controls, U+2028/9, ill-formed UTF-8) break a run.
#include "openai/json_escape.h"

#include <cstdint>
#include <cstring>

namespace g2a::openai {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHigh = 0x8080808080808080ULL;

inline uint64_t has_zero_byte(uint64_t v) {
  return (v - kOnes) & ~v & kHigh;
}

// True when none of the eight bytes is < 0x20, '"', '\\' or >= 0x80.
inline bool plain_word(uint64_t w) {
  uint64_t below_space = (w - kOnes * 0x20) & ~w & kHigh;
  uint64_t quote = has_zero_byte(w ^ (kOnes * '"'));
  uint64_t backslash = has_zero_byte(w ^ (kOnes * '\\'));
  return ((below_space | quote | backslash | (w & kHigh)) == 0);
}

inline bool plain_ascii(unsigned char c) {
  return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

void append_escape(std::string &out, unsigned char c) {
  switch (c) {
  case '"':
    out += "\\\"";
    return;
  case '\\':
    out += "\\\\";
    return;
  case '\n':
    out += "\\n";
    return;
  case '\r':
    out += "\\r";
    return;
  case '\t':
    out += "\\t";
    return;
  case '\b':
    out += "\\b";
    return;
  case '\f':
    out += "\\f";
    return;
  default:
    break;
  }
  static constexpr char hex[] = "0123456789abcdef";
  char buf[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
  out.append(buf, 6);
}

// Length of the UTF-8 sequence starting at p[0] (>= 0x80) when well-formed; otherwise 0 and
// `skip` = the length of its maximal ill-formed subpart (at least 1).
inline size_t utf8_sequence(const unsigned char *p, size_t avail, size_t &skip) {
  unsigned char c = p[0];
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0)
      lo = 0xA0; // overlong
    else if (c == 0xED)
      hi = 0x9F; // UTF-16 surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0)
      lo = 0x90; // overlong
    else if (c == 0xF4)
      hi = 0x8F; // above U+10FFFF
  } else {
    skip = 1; // stray continuation byte, C0/C1 overlong lead, F5..FF
    return 0;
  }
  size_t k = 1;
  if (k < avail && p[k] >= lo && p[k] <= hi) {
    ++k;
    while (k <= need && k < avail && p[k] >= 0x80 && p[k] <= 0xBF) ++k;
  }
  if (k == need + 1) return k;
  skip = k;
  return 0;
}

} // namespace

void append_json_escaped(std::string &out, std::string_view s) {
  const auto *p = reinterpret_cast<const unsigned char *>(s.data());
  const size_t n = s.size();
  size_t run = 0; // start of the pending run of bytes copied verbatim
  size_t i = 0;
  while (i < n) {
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (!plain_word(w)) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = p[i];
    if (plain_ascii(c)) {
      ++i;
      continue;
    }
    if (c < 0x80) {
      out.append(s.data() + run, i - run);
      append_escape(out, c);
      run = ++i;
      continue;
    }
    size_t skip = 0;
    size_t len = utf8_sequence(p + i, n - i, skip);
    if (len == 3 && c == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
      out.append(s.data() + run, i - run);
      out += p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
      run = i += 3;
    } else if (len) {
      i += len;
    } else {
      out.append(s.data() + run, i - run);
      out += "\xEF\xBF\xBD"; // U+FFFD
      run = i += skip;
    }
  }
  out.append(s.data() + run, n - run);
}

void append_json_string(std::string &out, std::string_view s) {
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  append_json_escaped(out, s);
  out += '"';
}

} // namespace g2a::openai
