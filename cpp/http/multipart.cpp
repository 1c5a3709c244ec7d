// RFC 7578 multipart/form-data parsing (see multipart.h): one forward pass over the body,
// delimiters found with string_view::find, part bodies returned as views.
#include "http/multipart.h"
#include "core/text.h"

namespace g2a {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
  case '!':
  case '#':
  case '$':
  case '%':
  case '&':
  case '\'':
  case '*':
  case '+':
  case '-':
  case '.':
  case '^':
  case '_':
  case '`':
  case '|':
  case '~':
    return true;
  default:
    return false;
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = text::lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// One `key=value` parameter list after a media type or disposition type:
// `; name="a b"; filename=x.png`. Values are tokens or quoted strings; in quoted strings
// `\"` and `\\` are quoted pairs (RFC 2616; urllib3), any other backslash is literal (browsers
// do not escape it). Calls on_param(key, value) for each; false on a syntax error.
template <class F> bool parse_params(std::string_view s, F &&on_param) {
  size_t i = 0;
  const size_t n = s.size();
  while (true) {
    while (i < n && is_space(s[i])) ++i;
    if (i == n) return true;
    if (s[i] != ';') return false;
    ++i;
    while (i < n && is_space(s[i])) ++i;
    if (i == n) return true; // a trailing ';' is tolerated
    size_t k0 = i;
    while (i < n && is_tchar(s[i])) ++i;
    std::string_view key = s.substr(k0, i - k0);
    if (key.empty()) return false;
    while (i < n && is_space(s[i])) ++i;
    if (i == n || s[i] != '=') return false;
    ++i;
    while (i < n && is_space(s[i])) ++i;
    std::string value;
    if (i < n && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < n) {
        char c = s[i];
        if (c == '"') {
          closed = true;
          ++i;
          break;
        }
        if (c == '\\' && i + 1 < n && (s[i + 1] == '"' || s[i + 1] == '\\')) {
          value += s[i + 1];
          i += 2;
          continue;
        }
        value += c;
        ++i;
      }
      if (!closed) return false;
    } else {
      size_t v0 = i;
      while (i < n && s[i] != ';' && !is_space(s[i])) {
        if (s[i] == '"') return false;
        ++i;
      }
      value.assign(s.substr(v0, i - v0));
    }
    if (!on_param(key, std::move(value))) return false;
  }
}

// Browsers (WHATWG) and Node encode `"` CR LF in names and filenames as %22 %0D %0A.
std::string unescape_whatwg(std::string s) {
  if (s.find('%') == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      std::string_view code(s.data() + i + 1, 2);
      if (text::iequals(code, "22") || text::iequals(code, "0a") || text::iequals(code, "0d")) {
        out += static_cast<char>(hex_value(code[0]) * 16 + hex_value(code[1]));
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// RFC 5987 `filename*=UTF-8''percent-encoded`; nullopt when not in that form.
std::optional<std::string> decode_ext_value(std::string_view v) {
  size_t q1 = v.find('\'');
  if (q1 == std::string_view::npos) return std::nullopt;
  size_t q2 = v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return std::nullopt;
  std::string_view charset = v.substr(0, q1);
  if (!text::iequals(charset, "utf-8") && !text::iequals(charset, "us-ascii")) return std::nullopt;
  std::string_view enc = v.substr(q2 + 1);
  std::string out;
  for (size_t i = 0; i < enc.size(); ++i) {
    if (enc[i] == '%') {
      if (i + 2 >= enc.size()) return std::nullopt;
      int h = hex_value(enc[i + 1]), l = hex_value(enc[i + 2]);
      if (h < 0 || l < 0) return std::nullopt;
      out += static_cast<char>(h * 16 + l);
      i += 2;
    } else {
      out += enc[i];
    }
  }
  return out;
}

bool is_bchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
  case '\'':
  case '(':
  case ')':
  case '+':
  case '_':
  case ',':
  case '-':
  case '.':
  case '/':
  case ':':
  case '=':
  case '?':
  case ' ':
    return true;
  default:
    return false;
  }
}

// After a delimiter at `pos` (just past "--boundary"): "--" (close) or transport padding then
// a line break. Returns the offset after the line break (or after "--"), npos if neither.
struct DelimEnd {
  bool ok = false;
  bool close = false;
  size_t next = 0;
};

DelimEnd delimiter_end(std::string_view body, size_t pos) {
  DelimEnd d;
  if (body.substr(pos, 2) == "--") {
    d.ok = d.close = true;
    d.next = pos + 2;
    return d;
  }
  size_t i = pos;
  while (i < body.size() && is_space(body[i])) ++i;
  if (body.substr(i, 2) == "\r\n") {
    d.ok = true;
    d.next = i + 2;
  } else if (i < body.size() && body[i] == '\n') {
    d.ok = true;
    d.next = i + 1;
  }
  return d;
}

struct Found {
  size_t data_end = std::string_view::npos; // where the previous part's data stops
  DelimEnd end;
};

// The next delimiter line at or after `from`: "\n--boundary" (the preceding \r, if any, is
// not data) followed by "--" or padding + line break. `at_start` also accepts the delimiter
// at offset `from` itself (the first delimiter, at the very start of the body).
Found find_delimiter(std::string_view body, std::string_view dash_boundary, size_t from,
                     bool at_start) {
  Found f;
  if (at_start && body.substr(from, dash_boundary.size()) == dash_boundary) {
    DelimEnd d = delimiter_end(body, from + dash_boundary.size());
    if (d.ok) {
      f.data_end = from;
      f.end = d;
      return f;
    }
  }
  size_t i = from;
  while (true) {
    size_t nl = body.find('\n', i);
    if (nl == std::string_view::npos) return f;
    if (body.substr(nl + 1, dash_boundary.size()) == dash_boundary) {
      DelimEnd d = delimiter_end(body, nl + 1 + dash_boundary.size());
      if (d.ok) {
        f.data_end = (nl > from && body[nl - 1] == '\r') ? nl - 1 : nl;
        f.end = d;
        return f;
      }
    }
    i = nl + 1;
  }
}

// The header block of one part, starting at `pos`; fills `part`, sets `data_start`.
std::optional<std::string> parse_headers(std::string_view body, size_t pos, FormPart &part,
                                         size_t &data_start) {
  bool has_disposition = false, has_type = false;
  size_t lines = 0;
  size_t i = pos;
  // Only the first kMaxPartHeaderBytes (+ the blank line) are ever searched.
  std::string_view window = body.substr(0, pos + kMaxPartHeaderBytes + 2);
  while (true) {
    size_t nl = window.find('\n', i);
    if (nl == std::string_view::npos)
      return window.size() < body.size() ? "a part's headers are larger than " +
                                               std::to_string(kMaxPartHeaderBytes) + " bytes"
                                         : std::string("the body ends inside a part's headers");
    std::string_view line = body.substr(i, nl - i);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    i = nl + 1;
    if (line.empty()) break;
    if (++lines > kMaxPartHeaders) return std::string("a part has too many headers");
    if (is_space(line.front())) return std::string("folded part headers are not supported");
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return std::string("a part header line is malformed");
    std::string_view name = line.substr(0, colon);
    for (char c : name)
      if (!is_tchar(c)) return std::string("a part header name is malformed");
    std::string_view value = text::trim(line.substr(colon + 1), text::kSpaceTab);
    if (text::iequals(name, "content-disposition")) {
      if (has_disposition) return std::string("a part has two Content-Disposition headers");
      has_disposition = true;
      size_t semi = value.find(';');
      std::string_view type = text::trim(value.substr(0, semi), text::kSpaceTab);
      if (!text::iequals(type, "form-data"))
        return std::string("a part's Content-Disposition is not form-data");
      bool has_name = false, has_filename = false;
      std::optional<std::string> ext_filename;
      bool ok = semi == std::string_view::npos ||
                parse_params(value.substr(semi), [&](std::string_view key, std::string v) {
                  if (text::iequals(key, "name")) {
                    if (has_name) return false;
                    has_name = true;
                    part.name = unescape_whatwg(std::move(v));
                  } else if (text::iequals(key, "filename")) {
                    if (has_filename) return false;
                    has_filename = true;
                    part.filename = unescape_whatwg(std::move(v));
                  } else if (text::iequals(key, "filename*")) {
                    ext_filename = decode_ext_value(v);
                    if (!ext_filename) return false;
                  }
                  return true;
                });
      if (!ok) return std::string("a part's Content-Disposition is malformed");
      if (!has_name) return std::string("a part's Content-Disposition has no name");
      if (ext_filename) {
        part.filename = std::move(*ext_filename);
        has_filename = true;
      }
      part.is_file = has_filename;
    } else if (text::iequals(name, "content-type")) {
      if (has_type) return std::string("a part has two Content-Type headers");
      has_type = true;
      part.content_type.assign(value);
    } // Content-Transfer-Encoding (deprecated by RFC 7578) and others: ignored
  }
  if (!has_disposition) return std::string("a part has no Content-Disposition header");
  data_start = i;
  return std::nullopt;
}

} // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  size_t semi = content_type.find(';');
  std::string_view type = text::trim(content_type.substr(0, semi), text::kSpaceTab);
  if (!text::iequals(type, "multipart/form-data") || semi == std::string_view::npos)
    return std::nullopt;
  std::optional<std::string> boundary;
  bool ok = parse_params(content_type.substr(semi), [&](std::string_view key, std::string v) {
    if (text::iequals(key, "boundary")) {
      if (boundary) return false;
      boundary = std::move(v);
    }
    return true;
  });
  if (!ok || !boundary || boundary->empty() || boundary->size() > 70) return std::nullopt;
  for (char c : *boundary)
    if (!is_bchar(c)) return std::nullopt;
  if (boundary->back() == ' ') return std::nullopt;
  return boundary;
}

Result<std::vector<FormPart>, std::string>
parse_multipart(std::string_view body, std::string_view boundary, size_t max_parts) {
  if (boundary.empty() || boundary.size() > 70) return std::string("invalid multipart boundary");
  std::string dash_boundary = "--";
  dash_boundary.append(boundary);

  Found first = find_delimiter(body, dash_boundary, 0, true);
  if (first.data_end == std::string_view::npos)
    return std::string("the body does not contain the multipart boundary");

  std::vector<FormPart> parts;
  DelimEnd at = first.end;
  while (!at.close) {
    if (parts.size() >= max_parts)
      return "the body has more than " + std::to_string(max_parts) + " parts";
    if (at.next >= body.size())
      return std::string("the body ends without the final multipart boundary");
    FormPart part;
    size_t data_start = 0;
    if (auto err = parse_headers(body, at.next, part, data_start)) return std::move(*err);
    // `at_start`: an empty part whose delimiter lacks the CRLF that should precede it.
    Found next = find_delimiter(body, dash_boundary, data_start, true);
    if (next.data_end == std::string_view::npos)
      return std::string("the body ends without the final multipart boundary");
    part.data = body.substr(data_start, next.data_end - data_start);
    parts.push_back(std::move(part));
    at = next.end;
  }
  return parts; // the epilogue after the close delimiter is ignored
}

} // namespace g2a
