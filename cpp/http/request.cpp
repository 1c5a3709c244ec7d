// Request accessors and URL splitting used by the router and every route.
#include "http/request.h"
#include "core/text.h"

namespace g2a {

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const auto &[k, v] : headers)
    if (k == name) return std::string_view(v);
  return std::nullopt;
}

std::string_view Request::header_or(std::string_view name, std::string_view fallback) const {
  auto h = header(name);
  return h ? *h : fallback;
}

std::string Request::var(std::string_view name, std::string_view fallback) const {
  auto it = vars.find(std::string(name));
  if (it == vars.end() || it->second.empty()) return std::string(fallback);
  return it->second;
}

long long Request::var_int(std::string_view name, long long fallback) const {
  auto it = vars.find(std::string(name));
  if (it == vars.end()) return fallback;
  const std::string &s = it->second;
  return text::parse_int<long long>(s).value_or(fallback);
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s, bool form) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int a = hexval(s[i + 1]), b = hexval(s[i + 2]);
      if (a >= 0 && b >= 0) {
        out.push_back(static_cast<char>(a * 16 + b));
        i += 2;
        continue;
      }
    }
    if (form && c == '+') c = ' ';
    out.push_back(c);
  }
  return out;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  std::string_view q = query;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    size_t eq = pair.find('=');
    std::string key = percent_decode(pair.substr(0, eq), true);
    if (key == name)
      return eq == std::string_view::npos ? std::string()
                                          : percent_decode(pair.substr(eq + 1), true);
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

bool split_url(std::string_view url, std::string &origin, std::string &path, std::string &query) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  std::string_view scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return false;
  size_t host_start = scheme_end + 3;
  size_t path_start = url.find_first_of("/?#", host_start);
  if (path_start == std::string_view::npos) {
    origin = std::string(url);
    path = "/";
    query.clear();
    return true;
  }
  origin = std::string(url.substr(0, path_start));
  std::string_view rest = url.substr(path_start);
  size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  size_t qm = rest.find('?');
  if (qm == std::string_view::npos) {
    path = std::string(rest);
    query.clear();
  } else {
    path = std::string(rest.substr(0, qm));
    query = std::string(rest.substr(qm + 1));
  }
  if (path.empty() || path[0] != '/') path.insert(path.begin(), '/');
  return true;
}

} // namespace g2a
