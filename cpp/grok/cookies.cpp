// Cookie handling for Grok credentials: sso normalisation, the upstream Cookie header,
// bulk import of tokens, and masking for logs and the admin UI.
#include "grok/cookies.h"
#include "core/text.h"

#include <unordered_set>

namespace g2a::grok {

namespace {

// RFC 6265 cookie-octet.
bool cookie_octet(char ch) {
  auto c = static_cast<unsigned char>(ch);
  return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
         (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

// RFC 7230 token characters, for cookie names.
bool token_char(char ch) {
  auto c = static_cast<unsigned char>(ch);
  if (c <= 0x20 || c >= 0x7F) return false;
  switch (c) {
  case '(':
  case ')':
  case '<':
  case '>':
  case '@':
  case ',':
  case ';':
  case ':':
  case '\\':
  case '"':
  case '/':
  case '[':
  case ']':
  case '?':
  case '=':
  case '{':
  case '}':
    return false;
  default:
    return true;
  }
}

bool is_cookie_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!token_char(c)) return false;
  return true;
}

struct Pair {
  std::string_view name, value;
};

// "name=value" when name is a cookie name and the value does not start with '=' (a bare
// base64 token ending in "==" is not a cookie pair).
bool split_pair(std::string_view part, Pair &out) {
  size_t eq = part.find('=');
  if (eq == std::string_view::npos) return false;
  std::string_view name = text::trim(part.substr(0, eq), text::kCSpace);
  std::string_view value = text::trim(part.substr(eq + 1), text::kCSpace);
  if (!is_cookie_name(name) || value.substr(0, 1) == "=") return false;
  out = {name, value};
  return true;
}

std::string clean_value(std::string_view v) {
  v = text::trim(v, text::kCSpace);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty()) return {};
  for (char c : v)
    if (!cookie_octet(c)) return {};
  return std::string(v);
}

template <class F> void for_each_part(std::string_view s, F &&f) {
  while (true) {
    size_t semi = s.find(';');
    f(text::trim(s.substr(0, semi), text::kCSpace));
    if (semi == std::string_view::npos) break;
    s.remove_prefix(semi + 1);
  }
}

} // namespace

std::string normalize_sso(std::string_view raw) {
  raw = text::trim(raw, text::kCSpace);
  if (raw.empty()) return {};
  std::string_view sso, sso_rw;
  bool found_sso = false, found_rw = false;
  for_each_part(raw, [&](std::string_view part) {
    Pair p;
    if (part.empty() || !split_pair(part, p)) return;
    if (p.name == "sso" && !found_sso) {
      sso = p.value;
      found_sso = true;
    } else if (p.name == "sso-rw" && !found_rw) {
      sso_rw = p.value;
      found_rw = true;
    }
  });
  if (found_sso) return clean_value(sso);
  if (found_rw) return clean_value(sso_rw);
  // A bare token, possibly followed by "; attributes": cut at the first ';'. A cookie
  // string whose first entry is another cookie holds no sso.
  std::string_view first = text::trim(raw.substr(0, raw.find(';')), text::kCSpace);
  Pair p;
  if (first.empty() || split_pair(first, p)) return {};
  return clean_value(first);
}

std::string build_cookie(std::string_view sso, const UpstreamCookies &cookies,
                         std::string_view user_id) {
  std::string_view token = text::trim(sso, text::kCSpace);
  std::string_view clearance = text::trim(cookies.cf_clearance, text::kCSpace);
  if (clearance.substr(0, 13) == "cf_clearance=")
    clearance = text::trim(clearance.substr(13), text::kCSpace);
  clearance = clearance.substr(0, clearance.find(';'));
  user_id = text::trim(user_id, text::kCSpace);

  std::string out;
  out.append("sso=").append(token).append("; sso-rw=").append(token);
  for_each_part(cookies.extra, [&](std::string_view part) {
    if (part.empty()) return;
    Pair p;
    if (split_pair(part, p)) {
      if (p.name == "sso" || p.name == "sso-rw") return;
      if (p.name == "cf_clearance" && !clearance.empty()) return;
      if (p.name == "x-userid" && !user_id.empty()) return;
    }
    out.append("; ").append(part);
  });
  if (!clearance.empty()) out.append("; cf_clearance=").append(clearance);
  if (!user_id.empty()) out.append("; x-userid=").append(user_id);
  return out;
}

ImportResult parse_token_import(std::string_view text) {
  ImportResult r;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::unordered_set<std::string> seen;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text::trim(text.substr(0, nl), text::kCSpace);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.empty() || line.front() == '#') continue;
    std::string tok = normalize_sso(line);
    if (tok.size() < 8) {
      ++r.rejected;
      continue;
    }
    if (!seen.insert(tok).second) {
      ++r.duplicates;
      continue;
    }
    r.tokens.push_back(std::move(tok));
  }
  return r;
}

std::string token_suffix(std::string_view sso) {
  return std::string(sso.size() <= 6 ? sso : sso.substr(sso.size() - 6));
}

std::string mask_token(std::string_view sso) {
  if (sso.empty()) return {};
  if (sso.size() < 16) return "****";
  std::string out(sso.substr(0, 4));
  out.append("\xE2\x80\xA6"); // …
  out.append(sso.substr(sso.size() - 4));
  return out;
}

} // namespace g2a::grok
