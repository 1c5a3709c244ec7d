// Scraping the statsig inputs from the Grok home page (reference §2.4 steps 1–2): the
// `grok-site-verification` meta (the seed) and the 4×16 curves table, which the page embeds
// in its RSC payload, usually JSON-escaped inside a string. Hand-written scanners, no regex.
#include "core/text.h"
#include "grok/statsig.h"

#include <cstdlib>

namespace g2a::grok {

namespace {

constexpr std::string_view kVerificationName = "grok-site-verification";

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

size_t ifind(std::string_view hay, std::string_view needle, size_t from) {
  if (needle.empty() || hay.size() < needle.size()) return std::string_view::npos;
  for (size_t i = from; i + needle.size() <= hay.size(); ++i)
    if (text::iequals(hay.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

// Decodes the character references that can appear in a base64 attribute value.
std::string decode_entities(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out.push_back('&');
      continue;
    }
    std::string_view ent = s.substr(i + 1, semi - i - 1);
    long code = -1;
    if (ent.size() > 1 && ent[0] == '#') {
      bool hex = ent[1] == 'x' || ent[1] == 'X';
      std::string digits(ent.substr(hex ? 2 : 1));
      char *end = nullptr;
      if (!digits.empty()) code = std::strtol(digits.c_str(), &end, hex ? 16 : 10);
      if (!end || *end != '\0' || code <= 0 || code > 126) code = -1;
    } else if (ent == "amp") {
      code = '&';
    } else if (ent == "quot") {
      code = '"';
    } else if (ent == "apos") {
      code = '\'';
    } else if (ent == "lt") {
      code = '<';
    } else if (ent == "gt") {
      code = '>';
    }
    if (code < 0) {
      out.push_back('&');
      continue;
    }
    out.push_back(static_cast<char>(code));
    i = semi;
  }
  return out;
}

// Reads the attributes of the tag starting after "<meta"; returns the content of a
// grok-site-verification meta, "" otherwise.
std::string meta_verification(std::string_view html, size_t pos) {
  std::string_view name, content;
  bool has_content = false;
  size_t i = pos;
  while (i < html.size()) {
    while (i < html.size() && (is_space(html[i]) || html[i] == '/')) ++i;
    if (i >= html.size() || html[i] == '>') break;
    size_t start = i;
    while (i < html.size() && !is_space(html[i]) && html[i] != '=' && html[i] != '>' &&
           html[i] != '/')
      ++i;
    std::string_view attr = html.substr(start, i - start);
    while (i < html.size() && is_space(html[i])) ++i;
    std::string_view value;
    if (i < html.size() && html[i] == '=') {
      ++i;
      while (i < html.size() && is_space(html[i])) ++i;
      if (i < html.size() && (html[i] == '"' || html[i] == '\'')) {
        char q = html[i++];
        size_t end = html.find(q, i);
        if (end == std::string_view::npos) return {};
        value = html.substr(i, end - i);
        i = end + 1;
      } else {
        size_t vstart = i;
        while (i < html.size() && !is_space(html[i]) && html[i] != '>') ++i;
        value = html.substr(vstart, i - vstart);
      }
    }
    if (attr.empty()) {
      ++i; // a stray character: skip it
      continue;
    }
    if (text::iequals(attr, "name") || text::iequals(attr, "property"))
      name = text::trim(value, text::kHtmlSpace);
    if (text::iequals(attr, "content")) {
      content = value;
      has_content = true;
    }
  }
  if (!has_content || !text::iequals(name, kVerificationName)) return {};
  return std::string(text::trim(decode_entities(content), text::kHtmlSpace));
}

bool is_value_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/' || c == '=' || c == '_' || c == '-';
}

// The RSC form: {"name":"grok-site-verification","content":"…"}, possibly escaped.
std::string rsc_verification(std::string_view html, size_t at) {
  // The enclosing object: from the '{' before the name to the '}' after it.
  size_t open = html.rfind('{', at);
  size_t close = html.find('}', at);
  if (open == std::string_view::npos || close == std::string_view::npos) return {};
  if (at - open > 2000 || close - at > 2000) return {};
  std::string_view obj = html.substr(open, close - open);
  for (size_t k = obj.find("content"); k != std::string_view::npos;
       k = obj.find("content", k + 1)) {
    size_t i = k + 7;
    auto skip = [&] {
      while (i < obj.size() &&
             (obj[i] == '\\' || obj[i] == '"' || obj[i] == '\'' || is_space(obj[i])))
        ++i;
    };
    skip();
    if (i >= obj.size() || (obj[i] != ':' && obj[i] != '=')) continue;
    ++i;
    skip();
    size_t start = i;
    while (i < obj.size() && is_value_char(obj[i])) ++i;
    if (i > start) return std::string(obj.substr(start, i - start));
  }
  return {};
}

} // namespace

std::optional<std::string> extract_site_verification(std::string_view html) {
  for (size_t p = ifind(html, "<meta", 0); p != std::string_view::npos;
       p = ifind(html, "<meta", p + 5)) {
    size_t after = p + 5;
    if (after < html.size() && !is_space(html[after]) && html[after] != '/') continue;
    std::string v = meta_verification(html, after);
    if (!v.empty()) return v;
  }
  for (size_t p = html.find(kVerificationName); p != std::string_view::npos;
       p = html.find(kVerificationName, p + 1)) {
    std::string v = rsc_verification(html, p);
    if (!v.empty()) return v;
  }
  return std::nullopt;
}

namespace {

// A forgiving tokenizer for the curves table: quotes and backslashes are ignored, so plain
// JSON, a JS literal and JSON escaped once or more all read the same.
struct Scanner {
  std::string_view s;
  size_t i = 0;

  enum Kind { End, Punct, Ident, Int, Bad };
  struct Token {
    Kind kind = End;
    char punct = 0;
    std::string_view ident;
    long long value = 0;
  };

  // Skips whitespace, quotes and escape sequences (\n, \t, \u0022, … at any escaping depth).
  void skip_ignorable() {
    while (i < s.size()) {
      char c = s[i];
      if (is_space(c) || c == '"' || c == '\'') {
        ++i;
      } else if (c == '\\') {
        while (i < s.size() && s[i] == '\\') ++i;
        if (i >= s.size()) break;
        char e = s[i];
        if (e == 'n' || e == 'r' || e == 't' || e == 'f' || e == 'b')
          ++i;
        else if (e == 'u' && i + 4 < s.size())
          i += 5;
      } else {
        break;
      }
    }
  }

  Token next() {
    skip_ignorable();
    Token t;
    if (i >= s.size()) return t;
    char c = s[i];
    if (c == '[' || c == ']' || c == '{' || c == '}' || c == ':' || c == ',') {
      ++i;
      t.kind = Punct;
      t.punct = c;
      return t;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      bool neg = c == '-';
      if (neg) ++i;
      long long v = 0;
      size_t digits = 0;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (++digits > 9) return bad();
        v = v * 10 + (s[i++] - '0');
      }
      if (digits == 0 || (i < s.size() && (s[i] == '.' || s[i] == 'e' || s[i] == 'E')))
        return bad();
      t.kind = Int;
      t.value = neg ? -v : v;
      return t;
    }
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '$') {
      size_t start = i;
      while (i < s.size() && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
                              (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '$'))
        ++i;
      t.kind = Ident;
      t.ident = s.substr(start, i - start);
      return t;
    }
    return bad();
  }

  Token bad() {
    Token t;
    t.kind = Bad;
    return t;
  }

  bool punct(char p) {
    Token t = next();
    return t.kind == Punct && t.punct == p;
  }

  bool integer(int &out) {
    Token t = next();
    if (t.kind != Int) return false;
    out = static_cast<int>(t.value);
    return true;
  }

  bool int_array(int *out, int n) {
    if (!punct('[')) return false;
    for (int k = 0; k < n; ++k) {
      if (k > 0 && !punct(',')) return false;
      if (!integer(out[k])) return false;
    }
    return punct(']');
  }

  // Skips one value of an unknown key: a scalar token or a balanced [...] / {...}.
  bool skip_value() {
    Token t = next();
    if (t.kind == Int || t.kind == Ident) return true;
    if (t.kind != Punct || (t.punct != '[' && t.punct != '{')) return false;
    int depth = 1;
    for (int guard = 0; depth > 0 && guard < 10000; ++guard) {
      Token u = next();
      if (u.kind == End || u.kind == Bad) return false;
      if (u.kind == Punct && (u.punct == '[' || u.punct == '{')) ++depth;
      if (u.kind == Punct && (u.punct == ']' || u.punct == '}')) --depth;
    }
    return depth == 0;
  }

  bool entry(Curve &c) {
    if (!punct('{')) return false;
    bool color = false, deg = false, bezier = false;
    for (int guard = 0; guard < 32; ++guard) {
      Token key = next();
      if (key.kind != Ident || !punct(':')) return false;
      if (key.ident == "color") {
        if (color || !int_array(c.color, 6)) return false;
        color = true;
      } else if (key.ident == "deg") {
        if (deg || !integer(c.deg)) return false;
        deg = true;
      } else if (key.ident == "bezier") {
        if (bezier || !int_array(c.bezier, 4)) return false;
        bezier = true;
      } else if (!skip_value()) {
        return false;
      }
      Token sep = next();
      if (sep.kind != Punct) return false;
      if (sep.punct == '}') return color && deg && bezier;
      if (sep.punct != ',') return false;
    }
    return false;
  }

  bool table(std::vector<std::array<Curve, 16>> &out) {
    out.assign(4, {});
    if (!punct('[')) return false;
    for (int g = 0; g < 4; ++g) {
      if (g > 0 && !punct(',')) return false;
      if (!punct('[')) return false;
      for (int k = 0; k < 16; ++k) {
        if (k > 0 && !punct(',')) return false;
        if (!entry(out[g][k])) return false;
      }
      if (!punct(']')) return false;
    }
    return punct(']');
  }
};

} // namespace

std::optional<std::vector<std::array<Curve, 16>>> extract_curves(std::string_view html) {
  std::vector<std::array<Curve, 16>> curves;
  for (size_t p = html.find('['); p != std::string_view::npos; p = html.find('[', p + 1)) {
    Scanner quick{html, p + 1}; // cheap pre-check: "[[{"
    if (!quick.punct('[') || !quick.punct('{')) continue;
    Scanner sc{html, p};
    if (sc.table(curves)) return curves;
  }
  return std::nullopt;
}

} // namespace g2a::grok
