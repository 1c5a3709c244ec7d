// JSON conveniences shared by the core: nlohmann/json without exceptions, and the one way
// to serialise it (invalid UTF-8 is replaced, never an abort).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace g2a {

using json = nlohmann::ordered_json; // keeps insertion order: our output reads like OpenAI's

// Serialises compactly; invalid UTF-8 in strings becomes U+FFFD instead of aborting.
inline std::string dump(const json &j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Parses trusted or untrusted text; returns nullopt on any syntax error.
inline std::optional<json> parse_json(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

// Typed field readers that never abort on a wrong type.
inline std::string str_or(const json &j, const char *key, std::string_view fallback = {}) {
  if (j.is_object()) {
    auto it = j.find(key);
    if (it != j.end() && it->is_string()) return it->get<std::string>();
  }
  return std::string(fallback);
}

inline long long int_or(const json &j, const char *key, long long fallback = 0) {
  if (j.is_object()) {
    auto it = j.find(key);
    if (it != j.end()) {
      if (it->is_number_integer()) return it->get<long long>();
      if (it->is_number_float()) return static_cast<long long>(it->get<double>());
    }
  }
  return fallback;
}

inline bool bool_or(const json &j, const char *key, bool fallback = false) {
  if (j.is_object()) {
    auto it = j.find(key);
    if (it != j.end()) {
      if (it->is_boolean()) return it->get<bool>();
      if (it->is_number_integer()) return it->get<long long>() != 0;
    }
  }
  return fallback;
}

// Safe nested lookup: jget(j, "results", 0, "rows") returns a null json when any step is
// missing or of the wrong kind (operator[] on a const json would abort instead).
inline const json &null_json() {
  static const json n;
  return n;
}
inline const json &jget(const json &j) { return j; }
template <class... Rest> const json &jget(const json &j, const char *key, Rest... rest);
template <class... Rest> const json &jget(const json &j, int index, Rest... rest) {
  if (!j.is_array() || index < 0 || static_cast<size_t>(index) >= j.size()) return null_json();
  return jget(j[static_cast<size_t>(index)], rest...);
}
template <class... Rest> const json &jget(const json &j, const char *key, Rest... rest) {
  if (!j.is_object()) return null_json();
  auto it = j.find(key);
  if (it == j.end()) return null_json();
  return jget(*it, rest...);
}

} // namespace g2a
