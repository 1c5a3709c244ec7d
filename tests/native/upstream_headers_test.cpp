// grok.com request headers (grok/upstream_headers.h): REST, WebSocket, assets, upload v2,
// and client hints derived from the User-Agent.
#include "grok/upstream_headers.h"

#include <gtest/gtest.h>

#include <set>

using namespace g2a;
using namespace g2a::grok;

namespace {

std::optional<std::string> get(const Headers &h, std::string_view name) {
  std::optional<std::string> found;
  for (const auto &[k, v] : h)
    if (k == name) {
      EXPECT_FALSE(found) << "duplicate header " << name;
      found = v;
    }
  return found;
}

void expect_lower_case(const Headers &h) {
  for (const auto &[k, v] : h)
    for (char c : k) EXPECT_FALSE(c >= 'A' && c <= 'Z') << k;
}

} // namespace

TEST(HeadersClientHints, ChromeOnMacDefault) {
  auto h = client_hints_for(kDefaultUserAgent);
  ASSERT_TRUE(h);
  // Chromium's GREASE for major 146: order {1,0,2}, "Not-A.Brand" v24.
  EXPECT_EQ(h->ua, R"("Chromium";v="146", "Not-A.Brand";v="24", "Google Chrome";v="146")");
  EXPECT_EQ(h->mobile, "?0");
  EXPECT_EQ(h->platform, "\"macOS\"");
}

TEST(HeadersClientHints, MatchesRealChromeReleases) {
  auto ua = [](const char *os, int major) {
    return std::string("Mozilla/5.0 (") + os + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" +
           std::to_string(major) + ".0.0.0 Safari/537.36";
  };
  // What those Chrome versions really send (and the seed product's hard-coded 133 value).
  EXPECT_EQ(client_hints_for(ua("Macintosh; Intel Mac OS X 10_15_7", 133))->ua,
            R"("Not(A:Brand";v="99", "Google Chrome";v="133", "Chromium";v="133")");
  EXPECT_EQ(client_hints_for(ua("Windows NT 10.0; Win64; x64", 120))->ua,
            R"("Not_A Brand";v="8", "Chromium";v="120", "Google Chrome";v="120")");
  EXPECT_EQ(client_hints_for(ua("Windows NT 10.0; Win64; x64", 131))->ua,
            R"("Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24")");
  EXPECT_EQ(client_hints_for(ua("Windows NT 10.0; Win64; x64", 131))->platform, "\"Windows\"");
  EXPECT_EQ(client_hints_for(ua("X11; Linux x86_64", 131))->platform, "\"Linux\"");
  EXPECT_EQ(client_hints_for(ua("X11; CrOS x86_64 14541.0.0", 131))->platform, "\"Chrome OS\"");
  auto android = client_hints_for(
      "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 "
      "Mobile Safari/537.36");
  ASSERT_TRUE(android);
  EXPECT_EQ(android->platform, "\"Android\"");
  EXPECT_EQ(android->mobile, "?1");
  auto edge = client_hints_for(ua("Windows NT 10.0; Win64; x64", 131) + " Edg/131.0.0.0");
  ASSERT_TRUE(edge);
  EXPECT_EQ(edge->ua, R"("Microsoft Edge";v="131", "Chromium";v="131", "Not_A Brand";v="24")");
}

TEST(HeadersClientHints, NoneForNonChromium) {
  EXPECT_FALSE(client_hints_for(
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0"));
  EXPECT_FALSE(client_hints_for("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
                                "(KHTML, like Gecko) Version/17.5 Safari/605.1.15"));
  EXPECT_FALSE(
      client_hints_for("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) "
                       "AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 "
                       "Safari/604.1"));
  EXPECT_FALSE(client_hints_for("curl/8.0"));
  EXPECT_FALSE(client_hints_for(""));
}

TEST(HeadersRest, FullSet) {
  UpstreamProfile p;
  Headers h = rest_headers(p, "sso=T; sso-rw=T", "SIG", "0b0e0c0a-0000-4000-8000-000000000001");
  expect_lower_case(h);
  EXPECT_EQ(get(h, "accept"), "*/*");
  EXPECT_EQ(get(h, "accept-language"), "en-US,en;q=0.9");
  EXPECT_EQ(get(h, "content-type"), "application/json");
  EXPECT_EQ(get(h, "origin"), "https://grok.com");
  EXPECT_EQ(get(h, "referer"), "https://grok.com/");
  EXPECT_EQ(get(h, "sec-fetch-dest"), "empty");
  EXPECT_EQ(get(h, "sec-fetch-mode"), "cors");
  EXPECT_EQ(get(h, "sec-fetch-site"), "same-origin");
  EXPECT_EQ(get(h, "priority"), "u=1, i");
  EXPECT_EQ(get(h, "cache-control"), "no-cache");
  EXPECT_EQ(get(h, "pragma"), "no-cache");
  EXPECT_EQ(get(h, "user-agent"), std::string(kDefaultUserAgent));
  EXPECT_EQ(get(h, "sec-ch-ua"),
            R"("Chromium";v="146", "Not-A.Brand";v="24", "Google Chrome";v="146")");
  EXPECT_EQ(get(h, "sec-ch-ua-mobile"), "?0");
  EXPECT_EQ(get(h, "sec-ch-ua-platform"), "\"macOS\"");
  EXPECT_EQ(get(h, "x-statsig-id"), "SIG");
  EXPECT_EQ(get(h, "x-xai-request-id"), "0b0e0c0a-0000-4000-8000-000000000001");
  EXPECT_EQ(get(h, "cookie"), "sso=T; sso-rw=T");
  EXPECT_FALSE(get(h, "baggage"));
}

TEST(HeadersRest, BaseUrlRefererAndOptionalParts) {
  UpstreamProfile p;
  p.base_url = "http://127.0.0.1:8787/";
  p.accept_language = "zh-CN,zh;q=0.9";
  Headers h = rest_headers(p, "", "", "", "/imagine", "text/plain;charset=UTF-8");
  EXPECT_EQ(get(h, "origin"), "http://127.0.0.1:8787");
  EXPECT_EQ(get(h, "referer"), "http://127.0.0.1:8787/imagine");
  EXPECT_EQ(get(h, "content-type"), "text/plain;charset=UTF-8");
  EXPECT_EQ(get(h, "accept-language"), "zh-CN,zh;q=0.9");
  EXPECT_FALSE(get(h, "cookie"));
  EXPECT_FALSE(get(h, "x-statsig-id"));
  EXPECT_FALSE(get(h, "x-xai-request-id"));
  EXPECT_FALSE(get(rest_headers(p, "c", "s", "r", "/", ""), "content-type"));
  // A base URL with a path prefix (a relay): Origin is only scheme://host.
  p.base_url = "https://relay.example/grok";
  Headers r = rest_headers(p, "c", "s", "r", "imagine/post/1");
  EXPECT_EQ(get(r, "origin"), "https://relay.example");
  EXPECT_EQ(get(r, "referer"), "https://relay.example/grok/imagine/post/1");
}

TEST(HeadersRest, ClientHintsFollowTheProfile) {
  UpstreamProfile p;
  p.client_hints = false;
  Headers h = rest_headers(p, "c", "s", "r");
  EXPECT_FALSE(get(h, "sec-ch-ua"));
  EXPECT_FALSE(get(h, "sec-ch-ua-mobile"));
  EXPECT_FALSE(get(h, "sec-ch-ua-platform"));
  p.client_hints = true;
  p.user_agent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
  h = rest_headers(p, "c", "s", "r");
  EXPECT_FALSE(get(h, "sec-ch-ua"));
  EXPECT_EQ(get(h, "user-agent"), p.user_agent);
}

TEST(HeadersWs, HandshakeSet) {
  UpstreamProfile p;
  Headers h = ws_headers(p, "sso=T; sso-rw=T; x-userid=U");
  expect_lower_case(h);
  std::set<std::string> names;
  for (auto &kv : h) names.insert(kv.first);
  EXPECT_EQ(names, (std::set<std::string>{"origin", "user-agent", "accept-language",
                                          "cache-control", "pragma", "cookie"}));
  EXPECT_EQ(get(h, "origin"), "https://grok.com");
  EXPECT_EQ(get(h, "cookie"), "sso=T; sso-rw=T; x-userid=U");
}

TEST(HeadersAsset, NavigationLike) {
  UpstreamProfile p;
  Headers h = asset_headers(p, "sso=T; sso-rw=T", "bytes=0-99");
  expect_lower_case(h);
  EXPECT_EQ(
      get(h, "accept"),
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8");
  EXPECT_EQ(get(h, "sec-fetch-dest"), "document");
  EXPECT_EQ(get(h, "sec-fetch-mode"), "navigate");
  EXPECT_EQ(get(h, "sec-fetch-site"), "same-site");
  EXPECT_EQ(get(h, "sec-fetch-user"), "?1");
  EXPECT_EQ(get(h, "upgrade-insecure-requests"), "1");
  EXPECT_EQ(get(h, "referer"), "https://grok.com/");
  EXPECT_EQ(get(h, "range"), "bytes=0-99");
  EXPECT_EQ(get(h, "cookie"), "sso=T; sso-rw=T");
  EXPECT_FALSE(get(h, "x-statsig-id"));
  EXPECT_FALSE(get(h, "content-type"));
  EXPECT_FALSE(get(asset_headers(p, "c", ""), "range"));
}

TEST(HeadersUploadV2, NoRequestId) {
  UpstreamProfile p;
  Headers h = upload_v2_headers(p, "sso=T; sso-rw=T", "SIG", "multipart/form-data; boundary=b1");
  expect_lower_case(h);
  EXPECT_EQ(get(h, "content-type"), "multipart/form-data; boundary=b1");
  EXPECT_EQ(get(h, "x-statsig-id"), "SIG");
  EXPECT_FALSE(get(h, "x-xai-request-id"));
  EXPECT_EQ(get(h, "origin"), "https://grok.com");
  EXPECT_EQ(get(h, "cookie"), "sso=T; sso-rw=T");
}
