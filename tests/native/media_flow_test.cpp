// GET /images/<id> through the C ABI with a scripted shim: an id that does not have the minted
// shape is refused without touching storage; one that names no media_links row is a 404 with
// no upstream request; a stored one is fetched from its stored URL with the owning account's
// cookie. The id is all the client holds: the URL and the account come from D1.
#include "harness.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::test;

namespace {

const std::string kId = "Zx9_Qm-3aBcDeFgHiJkLmN";

struct Shim {
  bool stored = true;
  int d1_calls = 0;
  std::vector<json> fetches;

  json operator()(const json &e, std::string &) {
    std::string op = str_or(e, "op");
    if (op == "d1") {
      ++d1_calls;
      json results = json::array();
      for (const auto &s : e["stmts"]) {
        std::string sql = str_or(s, "sql");
        json rows = json::array();
        if (stored && sql.find("FROM media_links l") != std::string::npos) {
          EXPECT_EQ(s["params"][0], kId);
          rows.push_back({{"url", "https://assets.grok.com/users/u-1/generated/g/image.jpg"},
                          {"token_id", "tok_1"},
                          {"sso", "sso-of-tok-1"}});
        }
        results.push_back({{"rows", rows}, {"changes", 0}});
      }
      return json{{"ok", true}, {"results", results}};
    }
    if (op == "fetch") {
      fetches.push_back(e);
      return json{{"ok", true}, {"status", 404}, {"headers", json::array()}};
    }
    return json{{"ok", true}};
  }
};

Trace get_media(Shim &shim, const std::string &id) {
  json meta = base_meta("GET", "https://gw.test/images/" + id);
  meta["vars"]["GROK_ASSETS_URL"] = "https://assets.grok.com";
  return drive(meta, std::ref(shim));
}

} // namespace

TEST(MediaFlow, AMalformedIdTouchesNoStorage) {
  for (const char *bad :
       {"x", "MQp0b2tfMQpodHRwczovL2E.AAAAAAAAAAAAAAAAAAAAAAAAAAA", "Zx9_Qm-3aBcDeFgHiJkLmN0"}) {
    Shim shim;
    Trace t = get_media(shim, bad);
    EXPECT_EQ(t.status, 404) << bad;
    EXPECT_EQ(shim.d1_calls, 0) << bad;
    EXPECT_TRUE(shim.fetches.empty()) << bad;
  }
}

TEST(MediaFlow, AnIdWithNoStoredLinkIs404WithoutAnUpstreamRequest) {
  Shim shim;
  shim.stored = false;
  Trace t = get_media(shim, kId);
  EXPECT_EQ(t.status, 404);
  EXPECT_EQ(json::parse(t.body)["error"]["code"], "media_not_found");
  EXPECT_TRUE(shim.fetches.empty());
}

TEST(MediaFlow, AStoredLinkIsFetchedFromItsStoredUrlWithTheOwnersCookie) {
  Shim shim;
  Trace t = get_media(shim, kId);
  ASSERT_EQ(shim.fetches.size(), 1u);
  EXPECT_EQ(shim.fetches[0]["url"], "https://assets.grok.com/users/u-1/generated/g/image.jpg");
  EXPECT_NE(dump(shim.fetches[0]["headers"]).find("sso-of-tok-1"), std::string::npos);
  EXPECT_EQ(t.status, 404); // the scripted upstream answered 404
}
