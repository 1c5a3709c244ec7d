// SSRF through redirects: a client image URL on a public host that answers 3xx must not
// take the download to an internal address. The core fetches with redirect "manual" and
// follows at most 3 hops itself, judging each Location with private_host() first. Driven
// through the C ABI with /v1/images/edits (JSON) and a scripted shim.
#include "harness.h"

#include <gtest/gtest.h>

#include <map>

using namespace g2a;
using namespace g2a::test;

namespace {

const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0", 26);

struct Shim {
  std::string body;
  // url → {status, location} answers for image downloads; anything else is a 200 PNG.
  std::map<std::string, std::pair<int, std::string>> redirects;
  std::vector<std::string> fetched;

  json operator()(const json &e, std::string &blob) {
    std::string op = str_or(e, "op");
    if (op == "read_body") {
      json ref = json::array({blob.size(), body.size()});
      blob += body;
      return {{"ok", true}, {"bytes", ref}};
    }
    if (op == "crypto") return {{"ok", true}, {"hex", std::string(64, 'a')}, {"b64", "qg=="}};
    if (op == "random") {
      long long n = int_or(e, "n", 1);
      json ref = json::array({blob.size(), n});
      blob += std::string(static_cast<size_t>(n), '\x07');
      return {{"ok", true}, {"bytes", ref}};
    }
    if (op == "d1") {
      json results = json::array();
      for (const auto &s : e["stmts"]) {
        std::string sql = str_or(s, "sql");
        json rows = json::array();
        if (sql.find("FROM api_keys WHERE key_hash") != std::string::npos)
          rows.push_back({{"id", "key_t"}, {"name", "t"}, {"enabled", 1}, {"chat_limit", -1},
                          {"heavy_limit", -1}, {"image_limit", -1}, {"video_limit", -1},
                          {"allowed_models", "[]"}, {"expires_at", 0}});
        results.push_back({{"rows", rows}, {"changes", 0}});
      }
      return {{"ok", true}, {"results", results}};
    }
    if (op == "fetch") {
      std::string url = str_or(e, "url");
      if (url.rfind("https://grok.test", 0) == 0) return {{"ok", false}, {"error", "no upstream here"}};
      fetched.push_back(url);
      EXPECT_EQ(str_or(e, "redirect"), "manual") << url; // the runtime never follows
      auto it = redirects.find(url);
      if (it != redirects.end()) {
        json headers = json::array();
        if (!it->second.second.empty()) headers.push_back({"Location", it->second.second});
        return {{"ok", true}, {"status", it->second.first}, {"headers", headers}, {"bytes", json::array({0, 0})}};
      }
      json ref = json::array({blob.size(), kPng.size()});
      blob += kPng;
      return {{"ok", true}, {"status", 200}, {"headers", json::array()}, {"bytes", ref}};
    }
    return {{"ok", true}};
  }
};

Trace edit_with_url(Shim &shim, const std::string &url) {
  shim.body = dump(json{{"prompt", "make it blue"}, {"image", url}});
  json meta = base_meta("POST", "https://gw.test/v1/images/edits");
  meta["headers"] = json::array({json::array({"authorization", "Bearer sk-redirect-test"}),
                                 json::array({"content-type", "application/json"})});
  meta["vars"]["GROK_BASE_URL"] = "https://grok.test";
  return drive(meta, std::ref(shim), 200);
}

json error_of(const Trace &t) {
  auto j = parse_json(t.body);
  return j && j->contains("error") ? (*j)["error"] : json();
}

} // namespace

TEST(ImageRedirects, ARedirectToAnInternalHostIsRefusedBeforeItIsFetched) {
  for (const char *target : {"http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8787/a.png",
                             "http://localhost/a.png", "http://0x7f.1/", "//10.0.0.1/a.png",
                             "http://[::1]/a.png"}) {
    Shim shim;
    shim.redirects["https://img.example/a.png"] = {302, target};
    Trace t = edit_with_url(shim, "https://img.example/a.png");
    EXPECT_EQ(t.status, 400) << target;
    json e = error_of(t);
    EXPECT_EQ(str_or(e, "code"), "invalid_image") << target;
    EXPECT_EQ(str_or(e, "param"), "image") << target;
    EXPECT_NE(str_or(e, "message").find("public host"), std::string::npos) << target;
    ASSERT_EQ(shim.fetched.size(), 1u) << target; // the internal URL was never requested
  }
}

TEST(ImageRedirects, PublicRedirectsAreFollowedUpToThreeHops) {
  Shim shim;
  shim.redirects["https://img.example/a.png"] = {301, "https://cdn.example/b.png"};
  shim.redirects["https://cdn.example/b.png"] = {307, "/c/d.png"};
  shim.redirects["https://cdn.example/c/d.png"] = {308, "e.png?x=1"};
  Trace t = edit_with_url(shim, "https://img.example/a.png");
  ASSERT_EQ(shim.fetched.size(), 4u);
  EXPECT_EQ(shim.fetched[1], "https://cdn.example/b.png");
  EXPECT_EQ(shim.fetched[2], "https://cdn.example/c/d.png");
  EXPECT_EQ(shim.fetched[3], "https://cdn.example/c/e.png?x=1");
  // The image loaded; what follows (the upstream) is out of reach here, but it is not an
  // invalid_image refusal.
  EXPECT_NE(str_or(error_of(t), "code"), "invalid_image") << t.body;
}

TEST(ImageRedirects, TooManyHopsOrABadLocationAreRefused) {
  {
    Shim shim;
    for (int i = 0; i < 5; ++i)
      shim.redirects["https://img.example/" + std::to_string(i)] = {302, "/" + std::to_string(i + 1)};
    Trace t = edit_with_url(shim, "https://img.example/0");
    EXPECT_EQ(t.status, 400);
    EXPECT_NE(str_or(error_of(t), "message").find("too many"), std::string::npos) << t.body;
    EXPECT_EQ(shim.fetched.size(), 4u); // the first request and three redirects
  }
  for (const char *loc : {"", "\\\\127.0.0.1\\a.png", "http://127.0.0.1 /a.png", "javascript:alert(1)",
                          "ftp://example.com/a.png"}) {
    Shim shim;
    shim.redirects["https://img.example/a.png"] = {303, loc};
    Trace t = edit_with_url(shim, "https://img.example/a.png");
    EXPECT_EQ(t.status, 400) << loc;
    EXPECT_EQ(str_or(error_of(t), "code"), "invalid_image") << loc;
    EXPECT_EQ(shim.fetched.size(), 1u) << loc;
  }
}
