// A small strict JSON cursor for the decoders' fast paths (rest_fast_frame, mgw_fast_frame):
// one pass over a line, no structural index, no copies of plain strings. It reads a subset of
// RFC 8259 exactly — objects, strings (UTF-8 validated, no raw control characters, the simple
// escapes), true/false/null, numbers, and arrays when skipped — and gives up (returns false)
// on anything else: \u escapes, invalid UTF-8, deep nesting, any syntax error. Whatever it
// accepts is valid JSON, which simdjson (any kernel) reads the same way; whatever it gives up
// on goes to simdjson, so the outcome never depends on which path read a line.
//
// Speed: the cursor's methods are always inlined into the reader, so its position lives in a
// register; the rare paths (escapes, non-ASCII, skipping) are out-of-line functions that take
// and return positions (strict_json.cpp).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#define G2A_INLINE [[gnu::always_inline]] inline

namespace g2a::grok {

static_assert(std::endian::native == std::endian::little, "StrictCursor reads words little-endian");

// Where unescaped strings of one line go: views into it stay valid until the next line.
// Memory is taken only when a line has an escape (a long plain line costs nothing here).
class UnescapeBuffer {
public:
  // A new line of `n` bytes (its unescaped strings never exceed it); resets the fill.
  void reset(size_t n) {
    used_ = 0;
    line_ = n;
  }
  // n bytes after the previous take; the first take of a line makes room for the whole line,
  // so earlier views stay valid.
  char *take(size_t n) {
    if (cap_ < line_) grow(line_);
    char *r = p_.get() + used_;
    used_ += n;
    return r;
  }

private:
  void grow(size_t n);
  std::unique_ptr<char[]> p_;
  size_t cap_ = 0, used_ = 0, line_ = 0;
};

namespace strict {

// The out-of-line parts (strict_json.cpp). Each takes the position and the line's end and
// returns the position after what it read, or nullptr when the input is outside the subset.
const uint8_t *utf8_char(const uint8_t *p, const uint8_t *e);             // p at a byte >= 0x80
const uint8_t *skip_value(const uint8_t *p, const uint8_t *e, int depth); // p at the value
// The string began at s and p stopped at its first backslash: unescapes it into buf.
const uint8_t *unescape(const uint8_t *s, const uint8_t *p, const uint8_t *e, UnescapeBuffer &buf,
                        std::string_view &out);

G2A_INLINE bool is_blank(uint8_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

G2A_INLINE const uint8_t *skip_blanks(const uint8_t *p, const uint8_t *e) {
  // Blanks are rare between tokens (upstream JSON is compact): one compare in the common case.
  while (p < e && *p <= ' ' && is_blank(*p)) ++p;
  return p;
}

// Advances over string bytes that need no unescaping, validating them, to the next '"' or
// '\\' (the result points at it). nullptr on a raw control byte, invalid UTF-8 or the end.
// Keys go through it too: simdjson compares keys raw, so any valid UTF-8 key is read as is.
G2A_INLINE const uint8_t *scan_plain(const uint8_t *p, const uint8_t *e) {
  constexpr uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
  for (;;) {
    // Eight bytes at a time: the high bit of each byte that is '"', '\\', a control byte or
    // non-ASCII. A borrow can only mark bytes above a marked one, so the lowest mark is the
    // first such byte (the word is read little-endian: wasm32 and x86).
    while (e - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      uint64_t special =
          (((w ^ (ones * '"')) - ones) | ((w ^ (ones * '\\')) - ones) | (w - ones * 0x20) | w) &
          high;
      if (special) {
        p += std::countr_zero(special) / 8;
        break;
      }
      p += 8;
    }
    if (p >= e) return nullptr;
    uint8_t c = *p;
    if (c == '"' || c == '\\') return p;
    if (c < 0x20) return nullptr;
    if (c < 0x80) {
      ++p;
      continue;
    }
    p = utf8_char(p, e);
    if (!p) return nullptr;
  }
}

// A literal must end at a delimiter: simdjson reads `truex` as one (bad) atom.
G2A_INLINE bool delimited(const uint8_t *p, const uint8_t *e) {
  if (p == e) return true;
  uint8_t c = *p;
  return is_blank(c) || c == ',' || c == '}' || c == ']';
}

// k == lit as a few word compares (memcmp is a call and a byte loop in wasm).
template <size_t N> G2A_INLINE bool key_is(std::string_view k, const char (&lit)[N]) {
  constexpr size_t n = N - 1;
  if (k.size() != n) return false;
  const char *a = k.data();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a + i, 8);
    std::memcpy(&y, lit + i, 8);
    if (x != y) return false;
  }
  if (i + 4 <= n) {
    uint32_t x, y;
    std::memcpy(&x, a + i, 4);
    std::memcpy(&y, lit + i, 4);
    if (x != y) return false;
    i += 4;
  }
  for (; i < n; ++i)
    if (a[i] != lit[i]) return false;
  return true;
}

} // namespace strict

class StrictCursor {
public:
  G2A_INLINE StrictCursor(const char *p, size_t n, UnescapeBuffer &buf)
      : p_(reinterpret_cast<const uint8_t *>(p)), e_(p_ + n), buf_(buf) {
    buf_.reset(n);
  }

  // The next non-blank byte (0 at the end), without consuming it.
  G2A_INLINE uint8_t peek() {
    p_ = strict::skip_blanks(p_, e_);
    return p_ < e_ ? *p_ : 0;
  }
  G2A_INLINE bool at_end() { return peek() == 0 && p_ == e_; }
  G2A_INLINE void advance(size_t n) { p_ += n; } // over bytes the caller has checked
  G2A_INLINE std::string_view rest() const {     // the bytes not read yet
    return std::string_view(reinterpret_cast<const char *>(p_), static_cast<size_t>(e_ - p_));
  }

  // '{'. Then next_field() until it returns End.
  G2A_INLINE bool begin_object() {
    if (peek() != '{') return false;
    ++p_;
    return true;
  }
  enum class Field { Key, End, Fail };
  // The next key of the object begun last (`first`: true before its first key; kept by the
  // caller per object), with its ':' consumed; End when '}' closed it. Keys are raw (escaped)
  // text, as simdjson's escaped_key() gives them; a key with a backslash is not supported.
  G2A_INLINE Field next_field(bool &first, std::string_view &key) {
    uint8_t c = peek();
    if (c == '}') {
      ++p_;
      return Field::End;
    }
    if (!first) {
      if (c != ',') return Field::Fail;
      ++p_;
      c = peek();
    }
    first = false;
    if (c != '"') return Field::Fail;
    const uint8_t *s = p_ + 1;
    const uint8_t *q = strict::scan_plain(s, e_);
    if (!q || *q != '"') return Field::Fail;
    key = std::string_view(reinterpret_cast<const char *>(s), static_cast<size_t>(q - s));
    p_ = q + 1;
    if (peek() != ':') return Field::Fail;
    ++p_;
    return Field::Key;
  }

  // A string value (the next byte must be '"'): its unescaped text.
  G2A_INLINE bool string(std::string_view &out) {
    if (peek() != '"') return false;
    const uint8_t *s = p_ + 1;
    const uint8_t *q = strict::scan_plain(s, e_);
    if (!q) return false;
    if (*q == '"') {
      out = std::string_view(reinterpret_cast<const char *>(s), static_cast<size_t>(q - s));
      p_ = q + 1;
      return true;
    }
    p_ = strict::unescape(s, q, e_, buf_, out); // stopped at a backslash
    return p_ != nullptr;
  }

  // true / false.
  G2A_INLINE bool boolean(bool &out) {
    uint8_t c = peek();
    if (c == 't' && literal("true", 4)) {
      out = true;
      return true;
    }
    if (c == 'f' && literal("false", 5)) {
      out = false;
      return true;
    }
    return false;
  }

  // Any value, validated and not kept. Nesting deeper than a few levels is not supported.
  G2A_INLINE bool skip() {
    peek();
    p_ = strict::skip_value(p_, e_, 0);
    return p_ != nullptr;
  }

private:
  G2A_INLINE bool literal(const char *word, size_t n) {
    if (static_cast<size_t>(e_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
    p_ += n;
    return strict::delimited(p_, e_);
  }

  const uint8_t *p_, *e_;
  UnescapeBuffer &buf_;
};

} // namespace g2a::grok
