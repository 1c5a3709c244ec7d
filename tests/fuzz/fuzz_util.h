// Shared helpers for the libFuzzer targets: a failed invariant prints what broke and aborts
// (libFuzzer then saves the input), a byte reader that splits one input into several values,
// and strict checks for UTF-8 and JSON text (nlohmann's parser refuses ill-formed UTF-8).
#pragma once

#include "core/json.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::fuzz {

[[noreturn]] inline void fail(const char *what, std::string_view detail = {}) {
  std::fprintf(stderr, "\n*** invariant broken: %s\n", what);
  if (!detail.empty())
    std::fprintf(stderr, "*** detail (%zu bytes): %.*s\n", detail.size(),
                 static_cast<int>(detail.size() > 2000 ? 2000 : detail.size()), detail.data());
  std::abort();
}

#define FUZZ_CHECK(cond, detail)                                                              \
  do {                                                                                        \
    if (!(cond)) ::g2a::fuzz::fail(#cond, (detail));                                          \
  } while (0)

// Reads an input front to back; running out yields zeros / empty strings.
class Reader {
public:
  Reader(const uint8_t *data, size_t size)
      : s_(reinterpret_cast<const char *>(data), size) {}
  explicit Reader(std::string_view s) : s_(s) {}
  bool empty() const { return s_.empty(); }
  uint8_t byte() {
    if (s_.empty()) return 0;
    uint8_t b = static_cast<uint8_t>(s_[0]);
    s_.remove_prefix(1);
    return b;
  }
  uint32_t u32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | byte();
    return v;
  }
  // Up to the next `sep` (consumed) or the end.
  std::string_view until(char sep) {
    size_t at = s_.find(sep);
    std::string_view out = s_.substr(0, at);
    s_ = at == std::string_view::npos ? std::string_view() : s_.substr(at + 1);
    return out;
  }
  std::string_view rest() {
    std::string_view out = s_;
    s_ = {};
    return out;
  }

private:
  std::string_view s_;
};

inline bool valid_utf8(std::string_view s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
    else return false;
    if (i + len > n) return false;
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

// Strict parse (valid UTF-8 included); aborts with the text when it is not JSON.
inline json must_parse(std::string_view text, const char *what) {
  auto j = parse_json(text);
  if (!j) fail(what, text);
  return *j;
}

// Every string of a JSON value, object keys included (what a client sent, decoded).
inline void collect_strings(const json &j, std::vector<std::string> &out) {
  if (j.is_string()) out.push_back(j.get<std::string>());
  if (j.is_object())
    for (auto it = j.begin(); it != j.end(); ++it)
      out.push_back(it.key()), collect_strings(*it, out);
  if (j.is_array())
    for (const auto &x : j) collect_strings(x, out);
}

// True when the client sent `secret` itself: in the raw bytes, or in a JSON string of them
// (also when spelled with escapes). An error may then quote the client's own value back.
inline bool client_sent(std::string_view raw, const std::string &secret) {
  if (raw.find(secret) != std::string_view::npos) return true;
  auto j = parse_json(raw);
  if (!j) return false;
  std::vector<std::string> strs;
  collect_strings(*j, strs);
  for (const auto &v : strs)
    if (v.find(secret) != std::string::npos) return true;
  return false;
}

// The OpenAI error shape: {"error":{"message":string,"type":string,"param":string|null,
// "code":string|null}} and nothing that looks like a stack trace.
inline void check_error_shape(const json &body, std::string_view text) {
  FUZZ_CHECK(body.is_object() && body.contains("error"), text);
  const json &e = body["error"];
  FUZZ_CHECK(e.is_object(), text);
  FUZZ_CHECK(e.contains("message") && e["message"].is_string(), text);
  FUZZ_CHECK(e.contains("type") && e["type"].is_string() && !e["type"].get<std::string>().empty(),
             text);
  FUZZ_CHECK(e.contains("param") && (e["param"].is_string() || e["param"].is_null()), text);
  FUZZ_CHECK(e.contains("code") && (e["code"].is_string() || e["code"].is_null()), text);
}

} // namespace g2a::fuzz
