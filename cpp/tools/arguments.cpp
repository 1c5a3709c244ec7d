// Argument repair and schema checks (rules in arguments.h).
#include "tools/arguments.h"

#include "core/json.h"
#include "core/text.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace g2a::tools {
namespace {

using text::trim;

std::string_view strip_fence(std::string_view s) {
  s = trim(s);
  if (s.substr(0, 3) != "```") return s;
  size_t nl = s.find('\n');
  if (nl == std::string_view::npos) return s;
  std::string_view inner = s.substr(nl + 1);
  inner = trim(inner);
  if (inner.size() >= 3 && inner.substr(inner.size() - 3) == "```") inner.remove_suffix(3);
  return trim(inner);
}

// One pass outside/inside strings: escapes raw control characters in strings, drops trailing
// commas, rewrites Python literals, and closes what is left open at the end.
std::string repair_text(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  std::string open; // the brackets still open
  bool in_str = false, esc = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_str) {
      if (esc) {
        esc = false;
        out += c;
      } else if (c == '\\') {
        esc = true;
        out += c;
      } else if (c == '"') {
        in_str = false;
        out += c;
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else {
        out += c;
      }
      continue;
    }
    if (c == '"') {
      in_str = true;
      out += c;
    } else if (c == '{' || c == '[') {
      open += c;
      out += c;
    } else if (c == '}' || c == ']') {
      // a trailing comma before the closer goes
      size_t k = out.find_last_not_of(" \t\r\n");
      if (k != std::string::npos && out[k] == ',') out.erase(k, 1);
      if (!open.empty()) open.pop_back();
      out += c;
    } else if ((c == 'T' || c == 'F' || c == 'N') &&
               (i == 0 || !std::isalnum(static_cast<unsigned char>(s[i - 1])))) {
      std::string_view rest = s.substr(i);
      auto word = [&](std::string_view w) {
        return rest.substr(0, w.size()) == w &&
               (rest.size() == w.size() ||
                !std::isalnum(static_cast<unsigned char>(rest[w.size()])));
      };
      if (word("True"))
        out += "true", i += 3;
      else if (word("False"))
        out += "false", i += 4;
      else if (word("None"))
        out += "null", i += 3;
      else
        out += c;
    } else {
      out += c;
    }
  }
  if (in_str) return out; // cut inside a string: not repaired
  size_t k = out.find_last_not_of(" \t\r\n");
  if (!open.empty() && k != std::string::npos && out[k] == ',') out.erase(k, 1);
  for (size_t i = open.size(); i-- > 0;) out += open[i] == '{' ? '}' : ']';
  return out;
}

std::string type_name(const json &v) {
  if (v.is_object()) return "object";
  if (v.is_array()) return "array";
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "boolean";
  if (v.is_null()) return "null";
  if (v.is_number_integer() || v.is_number_unsigned()) return "integer";
  return "number";
}

bool is_integral(const json &v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return true;
  if (v.is_number_float()) {
    double d = v.get<double>();
    return std::isfinite(d) && std::floor(d) == d;
  }
  return false;
}

// Fits `v` to one type name, coercing safely; false when it cannot.
bool fit_type(json &v, const std::string &t) {
  if (t == "string") {
    if (v.is_string()) return true;
    if (v.is_number()) {
      v = dump(v);
      return true;
    }
    return false;
  }
  if (t == "number" || t == "integer") {
    if (v.is_string()) {
      std::string s = v.get<std::string>();
      auto parsed = parse_json(s);
      if (!parsed || !parsed->is_number() || std::string_view(trim(s)) != s) return false;
      v = *parsed;
    }
    if (!v.is_number()) return false;
    if (t == "integer" && !is_integral(v)) return false;
    if (t == "integer" && v.is_number_float()) v = static_cast<long long>(v.get<double>());
    return true;
  }
  if (t == "boolean") {
    if (v.is_string()) {
      std::string s = v.get<std::string>();
      if (s == "true")
        v = true;
      else if (s == "false")
        v = false;
    }
    return v.is_boolean();
  }
  if (t == "object") return v.is_object();
  if (t == "array") return v.is_array();
  if (t == "null") return v.is_null();
  return true; // unknown type words are not ours to judge
}

std::string at(const std::string &path) {
  return path.empty() ? "the arguments" : "'" + path + "'";
}

// Checks (and coerces) `v` against `s`; "" when it fits, else why not.
std::string check(json &v, const json &s, const std::string &path, int depth) {
  if (!s.is_object() || depth > 32) return {};
  for (const char *k : {"anyOf", "oneOf"}) {
    auto a = s.find(k);
    if (a == s.end() || !a->is_array() || a->empty()) continue;
    std::string first_err;
    bool matched = false;
    for (const auto &branch : *a) {
      json copy = v;
      std::string e = check(copy, branch, path, depth + 1);
      if (e.empty()) {
        v = std::move(copy);
        matched = true;
        break;
      }
      // The error worth reporting is the one of a branch whose type the value has.
      json probe = v;
      auto bt = branch.is_object() ? branch.find("type") : branch.end();
      bool same_type = branch.is_object() && bt != branch.end() && bt->is_string() &&
                       fit_type(probe, bt->get<std::string>());
      if (first_err.empty() || same_type) first_err = e;
    }
    if (!matched) return first_err;
  }
  if (auto t = s.find("type"); t != s.end()) {
    if (t->is_string()) {
      if (!fit_type(v, t->get<std::string>()))
        return at(path) + " should be " + t->get<std::string>() + ", not " + type_name(v);
    } else if (t->is_array()) {
      bool any = false;
      for (const auto &x : *t) {
        if (!x.is_string()) continue;
        json copy = v;
        if (fit_type(copy, x.get<std::string>())) {
          v = std::move(copy);
          any = true;
          break;
        }
      }
      if (!any) return at(path) + " has the wrong type (" + type_name(v) + ")";
    }
  }
  if (auto e = s.find("enum"); e != s.end() && e->is_array()) {
    bool found = false;
    for (const auto &x : *e) found = found || x == v;
    if (!found) {
      // a number or boolean written as a string may still match
      for (const auto &x : *e) {
        json copy = v;
        if (fit_type(copy, type_name(x)) && copy == x) {
          v = x;
          found = true;
          break;
        }
      }
    }
    if (!found) return at(path) + " must be one of " + dump(*e);
  }
  if (auto c = s.find("const"); c != s.end() && !(v == *c))
    return at(path) + " must be " + dump(*c);
  if (v.is_object()) {
    auto props = s.find("properties");
    if (auto r = s.find("required"); r != s.end() && r->is_array())
      for (const auto &k : *r)
        if (k.is_string() && !v.contains(k.get<std::string>()))
          return "missing required property '" + (path.empty() ? "" : path + ".") +
                 k.get<std::string>() + "'";
    auto extra = s.find("additionalProperties");
    bool closed = extra != s.end() && extra->is_boolean() && !extra->get<bool>();
    for (auto it = v.begin(); it != v.end();) {
      const std::string key = it.key();
      std::string sub = path.empty() ? key : path + "." + key;
      if (props != s.end() && props->is_object() && props->contains(key)) {
        std::string e = check(it.value(), (*props)[key], sub, depth + 1);
        if (!e.empty()) return e;
        ++it;
      } else if (closed) {
        it = v.erase(it);
      } else {
        if (extra != s.end() && extra->is_object()) {
          std::string e = check(it.value(), *extra, sub, depth + 1);
          if (!e.empty()) return e;
        }
        ++it;
      }
    }
  }
  if (v.is_array()) {
    if (auto items = s.find("items"); items != s.end() && items->is_object())
      for (size_t i = 0; i < v.size(); ++i) {
        std::string e = check(v[i], *items, path + "[" + std::to_string(i) + "]", depth + 1);
        if (!e.empty()) return e;
      }
  }
  return {};
}

} // namespace

Arguments repair_arguments(std::string_view body, std::string_view schema_json) {
  Arguments out;
  std::string_view text = strip_fence(body);
  std::optional<json> v;
  if (text.empty())
    v = json::object();
  else
    v = parse_json(text);
  if (!v) v = parse_json(repair_text(text));
  if (!v) {
    out.error = "the arguments are not valid JSON";
    return out;
  }
  if (v->is_string()) { // an object sent as a JSON string
    if (auto inner = parse_json(v->get<std::string>())) v = std::move(inner);
  }
  if (!v->is_object()) {
    out.error = "the arguments are not a JSON object";
    return out;
  }
  if (!schema_json.empty()) {
    if (auto schema = parse_json(schema_json)) {
      std::string e = check(*v, *schema, "", 0);
      if (!e.empty()) {
        out.error = e;
        return out;
      }
    }
  }
  out.ok = true;
  out.json = dump(*v);
  return out;
}

} // namespace g2a::tools
