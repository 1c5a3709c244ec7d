// Builds the grok.com request headers from the upstream profile (base URL, User-Agent,
// language) and derives Chrome's client hints from the User-Agent string.
#include "grok/upstream_headers.h"

namespace g2a::grok {

namespace {

bool contains(std::string_view s, std::string_view needle) {
  return s.find(needle) != std::string_view::npos;
}

// The digits after `marker` ("Chrome/" → "146"), "" when absent.
std::string_view major_after(std::string_view ua, std::string_view marker) {
  size_t p = ua.find(marker);
  if (p == std::string_view::npos) return {};
  p += marker.size();
  size_t e = p;
  while (e < ua.size() && ua[e] >= '0' && ua[e] <= '9' && e - p < 6) ++e;
  return ua.substr(p, e - p);
}

std::string_view without_trailing_slash(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return url;
}

// scheme://host[:port] of a base URL that may carry a path.
std::string_view origin_of(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return without_trailing_slash(url);
  size_t slash = url.find_first_of("/?#", scheme + 3);
  return slash == std::string_view::npos ? url : url.substr(0, slash);
}

std::string join_path(std::string_view base, std::string_view path) {
  std::string out(without_trailing_slash(base));
  if (path.empty() || path.front() != '/') out.push_back('/');
  out.append(path);
  return out;
}

void add(Headers &h, std::string_view name, std::string_view value) {
  h.emplace_back(std::string(name), std::string(value));
}

void add_hints(Headers &h, const UpstreamProfile &p) {
  if (!p.client_hints) return;
  if (auto hints = client_hints_for(p.user_agent)) {
    add(h, "sec-ch-ua", hints->ua);
    add(h, "sec-ch-ua-mobile", hints->mobile);
    add(h, "sec-ch-ua-platform", hints->platform);
  }
}

Headers api_headers(const UpstreamProfile &p, std::string_view cookie, std::string_view statsig_id,
                    std::string_view request_id, std::string_view referer_path,
                    std::string_view content_type) {
  Headers h;
  h.reserve(20);
  add(h, "accept", "*/*");
  add(h, "accept-language", p.accept_language);
  add(h, "cache-control", "no-cache");
  if (!content_type.empty()) add(h, "content-type", content_type);
  add(h, "origin", origin_of(p.base_url));
  add(h, "pragma", "no-cache");
  add(h, "priority", "u=1, i");
  add(h, "referer", join_path(p.base_url, referer_path));
  add_hints(h, p);
  add(h, "sec-fetch-dest", "empty");
  add(h, "sec-fetch-mode", "cors");
  add(h, "sec-fetch-site", "same-origin");
  add(h, "user-agent", p.user_agent);
  if (!statsig_id.empty()) add(h, "x-statsig-id", statsig_id);
  if (!request_id.empty()) add(h, "x-xai-request-id", request_id);
  if (!cookie.empty()) add(h, "cookie", cookie);
  return h;
}

} // namespace

std::optional<ClientHints> client_hints_for(std::string_view ua) {
  if (contains(ua, "CriOS/") || contains(ua, "Firefox/") || contains(ua, "FxiOS/"))
    return std::nullopt;
  std::string_view chromium = major_after(ua, "Chrome/");
  if (chromium.empty()) return std::nullopt;
  int seed = 0;
  for (char c : chromium) seed = seed * 10 + (c - '0');

  std::string brand = "Google Chrome";
  std::string_view brand_version = chromium;
  if (auto edge = major_after(ua, "Edg/"); !edge.empty()) {
    brand = "Microsoft Edge";
    brand_version = edge;
  } else if (auto opera = major_after(ua, "OPR/"); !opera.empty()) {
    brand = "Opera";
    brand_version = opera;
  }

  // Chromium's GenerateBrandVersionList / GetGreasedUserAgentBrandVersion (updated GREASE).
  static const char *const kGreaseChars[] = {" ", "(", ":", "-", ".", "/", ")", ";", "=", "?", "_"};
  static const char *const kGreaseVersions[] = {"8", "99", "24"};
  static const int kOrders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
                                    {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
  const int *order = kOrders[seed % 6];
  auto entry = [](std::string_view name, std::string_view version) {
    std::string e = "\"";
    e.append(name).append("\";v=\"").append(version).append("\"");
    return e;
  };
  std::string grease_brand =
      std::string("Not") + kGreaseChars[seed % 11] + "A" + kGreaseChars[(seed + 1) % 11] + "Brand";
  std::string list[3];
  list[order[0]] = entry(grease_brand, kGreaseVersions[seed % 3]);
  list[order[1]] = entry("Chromium", chromium);
  list[order[2]] = entry(brand, brand_version);

  ClientHints h;
  h.ua = list[0] + ", " + list[1] + ", " + list[2];
  h.mobile = contains(ua, "Mobile") ? "?1" : "?0";
  std::string_view platform = "Unknown";
  if (contains(ua, "Windows"))
    platform = "Windows";
  else if (contains(ua, "Android"))
    platform = "Android";
  else if (contains(ua, "CrOS"))
    platform = "Chrome OS";
  else if (contains(ua, "Macintosh") || contains(ua, "Mac OS X"))
    platform = "macOS";
  else if (contains(ua, "Linux") || contains(ua, "X11"))
    platform = "Linux";
  h.platform = "\"" + std::string(platform) + "\"";
  return h;
}

Headers rest_headers(const UpstreamProfile &profile, std::string_view cookie,
                     std::string_view statsig_id, std::string_view request_id,
                     std::string_view referer_path, std::string_view content_type) {
  return api_headers(profile, cookie, statsig_id, request_id, referer_path, content_type);
}

Headers upload_v2_headers(const UpstreamProfile &profile, std::string_view cookie,
                          std::string_view statsig_id, std::string_view content_type,
                          std::string_view referer_path) {
  return api_headers(profile, cookie, statsig_id, {}, referer_path, content_type);
}

Headers ws_headers(const UpstreamProfile &p, std::string_view cookie) {
  Headers h;
  add(h, "origin", origin_of(p.base_url));
  add(h, "user-agent", p.user_agent);
  add(h, "accept-language", p.accept_language);
  add(h, "cache-control", "no-cache");
  add(h, "pragma", "no-cache");
  if (!cookie.empty()) add(h, "cookie", cookie);
  return h;
}

Headers asset_headers(const UpstreamProfile &p, std::string_view cookie, std::string_view range) {
  Headers h;
  add(h, "accept",
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8");
  add(h, "accept-language", p.accept_language);
  add(h, "referer", join_path(p.base_url, "/"));
  add_hints(h, p);
  add(h, "sec-fetch-dest", "document");
  add(h, "sec-fetch-mode", "navigate");
  add(h, "sec-fetch-site", "same-site");
  add(h, "sec-fetch-user", "?1");
  add(h, "upgrade-insecure-requests", "1");
  add(h, "user-agent", p.user_agent);
  if (!range.empty()) add(h, "range", range);
  if (!cookie.empty()) add(h, "cookie", cookie);
  return h;
}

} // namespace g2a::grok
