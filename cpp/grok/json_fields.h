// Tolerant typed reads of fields in untrusted Grok JSON answers, on simdjson's DOM without
// exceptions: a missing field or a wrong type is "absent", never an abort. Numbers may come
// as JSON numbers or as decimal strings (protobuf-JSON int64 style).
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

namespace g2a::grok::jf {

using simdjson::dom::element;
using simdjson::dom::object;

// Owns the parser; `root` is valid while the Doc lives. parse() false on any JSON error.
struct Doc {
  simdjson::dom::parser parser;
  element root;
  bool parse(std::string_view text) {
    return parser.parse(text.data(), text.size()).get(root) == simdjson::SUCCESS;
  }
};

inline std::optional<object> as_object(element e) {
  object o;
  if (e.get(o) != simdjson::SUCCESS) return std::nullopt;
  return o;
}

inline std::optional<element> field(const object &o, std::string_view key) {
  element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS) return std::nullopt;
  return e;
}

inline std::optional<object> object_field(const object &o, std::string_view key) {
  auto e = field(o, key);
  return e ? as_object(*e) : std::nullopt;
}

inline bool is_null(element e) {
  return e.type() == simdjson::dom::element_type::NULL_VALUE;
}

inline std::optional<long long> as_number(element e) {
  using T = simdjson::dom::element_type;
  switch (e.type()) {
  case T::INT64: {
    int64_t v = 0;
    if (e.get(v) == simdjson::SUCCESS) return v;
    return std::nullopt;
  }
  case T::UINT64: {
    uint64_t v = 0;
    if (e.get(v) == simdjson::SUCCESS)
      return v > 9223372036854775807ULL ? 9223372036854775807LL : static_cast<long long>(v);
    return std::nullopt;
  }
  case T::DOUBLE: {
    double v = 0;
    if (e.get(v) != simdjson::SUCCESS || !(v == v)) return std::nullopt;
    if (v >= 9.2e18) return 9200000000000000000LL;
    if (v <= -9.2e18) return -9200000000000000000LL;
    return static_cast<long long>(v);
  }
  case T::STRING: {
    std::string_view s;
    if (e.get(s) != simdjson::SUCCESS || s.empty() || s.size() > 18) return std::nullopt;
    bool neg = s.front() == '-';
    if (neg) s.remove_prefix(1);
    if (s.empty()) return std::nullopt;
    long long v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    return neg ? -v : v;
  }
  default:
    return std::nullopt;
  }
}

inline std::optional<long long> number_field(const object &o, std::string_view key) {
  auto e = field(o, key);
  return e ? as_number(*e) : std::nullopt;
}

// A string, or an integer rendered in decimal (ids sometimes arrive as numbers).
inline std::optional<std::string> as_text(element e) {
  using T = simdjson::dom::element_type;
  if (e.type() == T::STRING) {
    std::string_view s;
    if (e.get(s) == simdjson::SUCCESS) return std::string(s);
    return std::nullopt;
  }
  if (e.type() == T::INT64 || e.type() == T::UINT64) {
    auto n = as_number(e);
    if (n) return std::to_string(*n);
  }
  return std::nullopt;
}

inline std::optional<std::string> text_field(const object &o, std::string_view key) {
  auto e = field(o, key);
  return e ? as_text(*e) : std::nullopt;
}

inline std::optional<bool> bool_field(const object &o, std::string_view key) {
  auto e = field(o, key);
  bool b = false;
  if (!e || e->get(b) != simdjson::SUCCESS) return std::nullopt;
  return b;
}

} // namespace g2a::grok::jf
