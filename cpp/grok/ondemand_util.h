// Small, exception-free helpers over simdjson On-Demand shared by the stream decoders:
// lenient typed reads (a value of the wrong type is skipped, not an error) and the reader for
// search-result lists (web pages and X posts in their REST and mgw spellings).
#pragma once

#include <simdjson.h>

#include <string_view>
#include <utility>
#include <vector>

namespace g2a::grok::od {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

#define G2A_OD_TRY(expr)                                                                           \
  do {                                                                                             \
    if (::simdjson::error_code e_ = (expr); e_ != ::simdjson::SUCCESS) return e_;                  \
  } while (0)

inline error_code type_of(ondemand::value &v, ondemand::json_type &t) {
  return v.type().get(t);
}

// Reads a string; leaves `out` untouched when the value is another type.
inline error_code str(ondemand::value &v, std::string_view &out) {
  ondemand::json_type t;
  G2A_OD_TRY(type_of(v, t));
  if (t != ondemand::json_type::string) return SUCCESS;
  return v.get_string().get(out);
}

// Reads a number as int (floats truncated); leaves `out` untouched for other types.
inline error_code integer(ondemand::value &v, int &out) {
  ondemand::json_type t;
  G2A_OD_TRY(type_of(v, t));
  if (t != ondemand::json_type::number) return SUCCESS;
  double d = 0;
  G2A_OD_TRY(v.get_double().get(d));
  if (d > 1e9) d = 1e9;
  if (d < -1e9) d = -1e9;
  out = static_cast<int>(d);
  return SUCCESS;
}

// Reads a boolean (numbers count as their truth value); untouched for other types.
inline error_code boolean(ondemand::value &v, bool &out) {
  ondemand::json_type t;
  G2A_OD_TRY(type_of(v, t));
  if (t == ondemand::json_type::boolean) return v.get_bool().get(out);
  if (t == ondemand::json_type::number) {
    double d = 0;
    G2A_OD_TRY(v.get_double().get(d));
    out = d != 0;
  }
  return SUCCESS;
}

// Reads a string or a number as text (codes come both ways); a number is written to `buf`.
inline error_code code_text(ondemand::value &v, std::string_view &out, char (&buf)[24]) {
  ondemand::json_type t;
  G2A_OD_TRY(type_of(v, t));
  if (t == ondemand::json_type::string) return v.get_string().get(out);
  if (t != ondemand::json_type::number) return SUCCESS;
  double d = 0;
  G2A_OD_TRY(v.get_double().get(d));
  // Clamped first: casting a double outside long long's range is undefined (ndjson_fuzz
  // found `"code":3.2e34`). Real codes are small; a huge one is shown as the bound.
  if (!(d > -1e18)) d = -1e18;
  if (!(d < 1e18)) d = 1e18;
  long long n = static_cast<long long>(d);
  char tmp[24];
  int len = 0;
  bool neg = n < 0;
  unsigned long long u = neg ? 0ULL - static_cast<unsigned long long>(n) : n;
  do {
    tmp[len++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u && len < 22);
  int k = 0;
  if (neg) buf[k++] = '-';
  while (len) buf[k++] = tmp[--len];
  out = std::string_view(buf, static_cast<size_t>(k));
  return SUCCESS;
}

inline bool is(ondemand::value &v, ondemand::json_type want, error_code &err) {
  ondemand::json_type t;
  err = type_of(v, t);
  return !err && t == want;
}

// Calls fn(key, value) for each field of an object value; other types are skipped.
template <class Fn> error_code each_field(ondemand::value &v, Fn &&fn) {
  error_code err;
  if (!is(v, ondemand::json_type::object, err)) return err;
  ondemand::object o;
  G2A_OD_TRY(v.get_object().get(o));
  for (auto fr : o) {
    ondemand::field f;
    G2A_OD_TRY(std::move(fr).get(f));
    std::string_view key = f.escaped_key();
    ondemand::value fv = f.value();
    G2A_OD_TRY(fn(key, fv));
  }
  return SUCCESS;
}

// Calls fn(value) for each element of an array value; other types are skipped.
template <class Fn> error_code each_element(ondemand::value &v, Fn &&fn) {
  error_code err;
  if (!is(v, ondemand::json_type::array, err)) return err;
  ondemand::array a;
  G2A_OD_TRY(v.get_array().get(a));
  for (auto er : a) {
    ondemand::value ev;
    G2A_OD_TRY(std::move(er).get(ev));
    G2A_OD_TRY(fn(ev));
  }
  return SUCCESS;
}

// One search result: a web page (`url`, `title`) or an X post (`x_user` + `x_post`, `text`).
// Views point into the parser's buffers: valid until the next document is parsed.
struct SourceRef {
  std::string_view url, title, x_user, x_post, text;
};

// Reads search results: a result object (`url`/`title`, or X post fields), an array of them,
// or an object holding them under `results` / `webpages` / `posts` (nested lists allowed).
error_code read_sources(ondemand::value &v, std::vector<SourceRef> &out);

} // namespace g2a::grok::od
