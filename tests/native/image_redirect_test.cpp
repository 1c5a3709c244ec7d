// SSRF through redirects: a client image URL on a public host that answers 3xx must not
// take the download to an internal address. The core fetches with redirect "manual" and
// follows at most 3 hops itself, judging each Location with private_host() first. Every
// failure answers the same text; the detail is in the request log. Driven through the C ABI
// with /v1/images/edits (JSON) and a scripted shim.
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
  std::map<std::string, json> answers; // url → a fetch result to give instead
  std::string logged_error;            // the request log row's error_message

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
        if (sql.find("INSERT INTO request_logs") != std::string::npos)
          logged_error = s["params"][9].is_string() ? s["params"][9].get<std::string>() : "";
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
      if (auto a = answers.find(url); a != answers.end()) {
        json r = a->second;
        if (r.contains("body")) {
          std::string b = r["body"];
          r["bytes"] = json::array({blob.size(), b.size()});
          blob += b;
          r.erase("body");
        }
        return r;
      }
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

const std::string kCouldNotLoad = "Could not load the image (it must be a PNG, JPEG, WebP or GIF";

} // namespace

TEST(ImageRedirects, ARedirectToAnInternalHostIsRefusedBeforeItIsFetched) {
  for (const char *target : {"http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8787/a.png",
                             "http://localhost/a.png", "http://0x7f.1/", "//10.0.0.1/a.png",
                             "http://[::1]/a.png"}) {
    Shim shim;
    shim.redirects["https://img.example.com/a.png"] = {302, target};
    Trace t = edit_with_url(shim, "https://img.example.com/a.png");
    EXPECT_EQ(t.status, 400) << target;
    json e = error_of(t);
    EXPECT_EQ(str_or(e, "code"), "invalid_image") << target;
    EXPECT_EQ(str_or(e, "param"), "image") << target;
    EXPECT_EQ(str_or(e, "message").rfind(kCouldNotLoad, 0), 0u) << target;
    EXPECT_NE(shim.logged_error.find("redirected to a host that is not public (not requested)"),
              std::string::npos)
        << shim.logged_error;
    ASSERT_EQ(shim.fetched.size(), 1u) << target; // the internal URL was never requested
  }
}

TEST(ImageRedirects, PublicRedirectsAreFollowedUpToThreeHops) {
  Shim shim;
  shim.redirects["https://img.example.com/a.png"] = {301, "https://cdn.example.com/b.png"};
  shim.redirects["https://cdn.example.com/b.png"] = {307, "/c/d.png"};
  shim.redirects["https://cdn.example.com/c/d.png"] = {308, "e.png?x=1"};
  Trace t = edit_with_url(shim, "https://img.example.com/a.png");
  ASSERT_EQ(shim.fetched.size(), 4u);
  EXPECT_EQ(shim.fetched[1], "https://cdn.example.com/b.png");
  EXPECT_EQ(shim.fetched[2], "https://cdn.example.com/c/d.png");
  EXPECT_EQ(shim.fetched[3], "https://cdn.example.com/c/e.png?x=1");
  // The image loaded; what follows (the upstream) is out of reach here, but it is not an
  // invalid_image refusal.
  EXPECT_NE(str_or(error_of(t), "code"), "invalid_image") << t.body;
}

TEST(ImageRedirects, TooManyHopsOrABadLocationAreRefused) {
  {
    Shim shim;
    for (int i = 0; i < 5; ++i)
      shim.redirects["https://img.example.com/" + std::to_string(i)] = {
          302, "/" + std::to_string(i + 1)};
    Trace t = edit_with_url(shim, "https://img.example.com/0");
    EXPECT_EQ(t.status, 400);
    EXPECT_EQ(str_or(error_of(t), "message").rfind(kCouldNotLoad, 0), 0u) << t.body;
    EXPECT_NE(shim.logged_error.find("more than 3 redirects"), std::string::npos)
        << shim.logged_error;
    EXPECT_EQ(shim.fetched.size(), 4u); // the first request and three redirects
  }
  for (const char *loc : {"", "\\\\127.0.0.1\\a.png", "http://127.0.0.1 /a.png", "javascript:alert(1)",
                          "ftp://example.com/a.png"}) {
    Shim shim;
    shim.redirects["https://img.example.com/a.png"] = {303, loc};
    Trace t = edit_with_url(shim, "https://img.example.com/a.png");
    EXPECT_EQ(t.status, 400) << loc;
    EXPECT_EQ(str_or(error_of(t), "code"), "invalid_image") << loc;
    EXPECT_EQ(shim.fetched.size(), 1u) << loc;
  }
}

// A name that only resolves inside a network — single label, reserved suffix — is refused
// before any request, directly and as a redirect target.
TEST(ImageRedirects, SingleLabelAndReservedSuffixNamesAreRefusedAtEveryHop) {
  for (const char *name : {"http://vm/a.png", "http://printer./a.png", "http://nas.lan/a.png",
                           "http://box.home.arpa/a.png", "http://db.corp/a.png",
                           "http://x.intranet/a", "http://a.test/a.png"}) {
    Shim direct;
    Trace t = edit_with_url(direct, name);
    EXPECT_EQ(t.status, 400) << name;
    EXPECT_TRUE(direct.fetched.empty()) << name;
    EXPECT_NE(direct.logged_error.find("not a public host"), std::string::npos) << name;
    Shim hop;
    hop.redirects["https://img.example.com/a.png"] = {302, name};
    Trace r = edit_with_url(hop, "https://img.example.com/a.png");
    EXPECT_EQ(r.status, 400) << name;
    EXPECT_EQ(hop.fetched.size(), 1u) << name;
  }
}

// A missing path, a closed port, a non-image answer, a too-large one and a refused host all
// answer the same text; the log row tells them apart.
TEST(ImageRedirects, EveryFetchFailureAnswersTheSameTextAndLogsTheDetail) {
  struct Case {
    json answer;
    std::string logged;
  };
  std::vector<Case> cases = {
      {json{{"ok", true}, {"status", 404}, {"headers", json::array()}, {"body", "no"}}, "HTTP 404"},
      {json{{"ok", false}, {"error", "connect ECONNREFUSED"}},
       "fetch failed: connect ECONNREFUSED"},
      {json{{"ok", true}, {"status", 200}, {"headers", json::array()}, {"body", "<html>"}},
       "not a PNG, JPEG, WebP or GIF"},
      {json{{"ok", true}, {"status", 200}, {"headers", json::array()}, {"too_large", true}},
       "larger than"},
      {json{{"ok", true}, {"status", 200}, {"headers", json::array()}, {"body", ""}},
       "empty answer"},
  };
  std::string first;
  for (const auto &c : cases) {
    Shim shim;
    shim.answers["https://img.example.com/a.png"] = c.answer;
    Trace t = edit_with_url(shim, "https://img.example.com/a.png");
    EXPECT_EQ(t.status, 400) << c.logged;
    json e = error_of(t);
    EXPECT_EQ(str_or(e, "code"), "invalid_image");
    std::string message = str_or(e, "message");
    if (first.empty()) first = message;
    EXPECT_EQ(message, first) << c.logged;
    EXPECT_NE(shim.logged_error.find(c.logged), std::string::npos) << shim.logged_error;
    EXPECT_EQ(message.find(c.logged), std::string::npos) << message; // the detail is not sent
  }
  EXPECT_EQ(first.rfind(kCouldNotLoad, 0), 0u);
}
