// A growable byte buffer that always keeps simdjson::SIMDJSON_PADDING readable bytes after
// its contents, so simdjson can parse it in place (the decoders' carry and scratch buffer).
// Plain heap memory rather than std::vector/std::string: the padding is read by simdjson,
// and sanitizer container annotations would flag reads past size().
// The SIMDJSON_PADDING bytes after the contents are always spaces (written by each append and
// clear, so a long line's growth does not fill the whole new capacity). In particular the byte
// right after the contents is a space: on an unbalanced document simdjson looks at that byte (its
// end sentinel points there), so stale bytes of an earlier, longer line must not be left there —
// the outcome would depend on how the stream was cut (ndjson_fuzz found `…}}}}` left behind turning
// the next line into an error). Parsing in place gives the same answer, since a line is followed by
// its '\n' or trimmed blanks.
#pragma once

#include <simdjson.h>

#include <cstring>
#include <memory>
#include <string_view>

namespace g2a::grok {

class PaddedBuffer {
public:
  const char *data() const { return p_.get(); }
  size_t size() const { return len_; }
  bool empty() const { return len_ == 0; }
  // Allocated bytes from data(), >= size() + padding (only the padding is read past size()).
  size_t capacity() const { return cap_; }
  std::string_view view() const { return {p_.get(), len_}; }
  void clear() {
    len_ = 0;
    if (p_) std::memset(p_.get(), ' ', simdjson::SIMDJSON_PADDING);
  }

  void append(const char *s, size_t n) {
    reserve(len_ + n);
    if (n) std::memcpy(p_.get() + len_, s, n);
    len_ += n;
    // The padding simdjson may read after the contents: defined bytes, and no stale ones.
    std::memset(p_.get() + len_, ' ', simdjson::SIMDJSON_PADDING);
  }
  void append(std::string_view s) { append(s.data(), s.size()); }
  void assign(std::string_view s) {
    len_ = 0;
    append(s);
  }

private:
  void reserve(size_t n) {
    size_t need = n + simdjson::SIMDJSON_PADDING;
    if (need <= cap_) return;
    size_t cap = cap_ ? cap_ : 256;
    while (cap < need) cap *= 2; // doubling keeps a long line's growth linear
    std::unique_ptr<char[]> q(new char[cap]);
    if (len_) std::memcpy(q.get(), p_.get(), len_);
    std::memset(q.get() + len_, ' ', simdjson::SIMDJSON_PADDING); // append() pads after itself
    p_ = std::move(q);
    cap_ = cap;
  }

  std::unique_ptr<char[]> p_;
  size_t len_ = 0;
  size_t cap_ = 0;
};

} // namespace g2a::grok
