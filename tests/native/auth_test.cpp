// API-key parsing, decisions and quota statements.
#include "auth/api_keys.h"
#include "core/time.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::auth;

namespace {
Request with_auth(std::string value) {
  Request r;
  r.headers.emplace_back("authorization", std::move(value));
  return r;
}
} // namespace

TEST(Auth, BearerParsing) {
  EXPECT_EQ(bearer_key(with_auth("Bearer sk-abc")), "sk-abc");
  EXPECT_EQ(bearer_key(with_auth("bearer   sk-abc  ")), "sk-abc");
  EXPECT_FALSE(bearer_key(with_auth("Basic abc")));
  EXPECT_FALSE(bearer_key(with_auth("Bearer ")));
  EXPECT_FALSE(bearer_key(with_auth("Bearer sk abc")));
  EXPECT_FALSE(bearer_key(Request{}));
}

TEST(Auth, Decisions) {
  ApiKey k;
  k.id = "key_1";
  k.name = "n";
  EXPECT_FALSE(check_key(k, "grok-4", 1000));
  EXPECT_EQ(check_key(std::nullopt, "grok-4", 1000)->status, 401);
  k.enabled = false;
  EXPECT_EQ(check_key(k, "grok-4", 1000)->code, "invalid_api_key");
  k.enabled = true;
  k.expires_at = 999;
  EXPECT_EQ(check_key(k, "grok-4", 1000)->status, 401);
  k.expires_at = 0;
  k.allowed_models = {"grok-3-fast"};
  auto e = check_key(k, "grok-4", 1000);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->status, 403);
  EXPECT_EQ(e->code, "model_not_allowed");
  EXPECT_FALSE(check_key(k, "grok-3-fast", 1000));
}

TEST(Auth, KeyRowParsing) {
  json rows = json::parse(R"([{"id":"key_1","name":"ci","enabled":1,"chat_limit":5,"heavy_limit":-1,
    "image_limit":2,"video_limit":-1,"allowed_models":"[\"grok-4\"]","expires_at":0}])");
  auto k = key_from_rows(rows);
  ASSERT_TRUE(k);
  EXPECT_EQ(k->chat_limit, 5);
  EXPECT_EQ(k->allowed_models, std::vector<std::string>{"grok-4"});
  EXPECT_FALSE(key_from_rows(json::array()));
}

TEST(Auth, ChargesByModelKind) {
  auto heavy = charge_for(*grok::find_model("grok-4-heavy"), 0);
  EXPECT_EQ(heavy.chat, 1);
  EXPECT_EQ(heavy.heavy, 1);
  auto img = charge_for(*grok::find_model("grok-imagine-1.0"), 4);
  EXPECT_EQ(img.image, 4);
  EXPECT_EQ(charge_for(*grok::find_model("grok-imagine-1.0-video"), 0).video, 1);
}

TEST(Auth, QuotaChargeOnlyLimitsWhatItCharges) {
  ApiKey k;
  k.id = "key_1";
  k.chat_limit = 10;
  k.image_limit = 0;
  auto stmts = quota_charge(k, "2026-11-27", Charge{1, 0, 0, 0});
  ASSERT_EQ(stmts.size(), 2u);
  EXPECT_EQ(stmts[1].params[6], 10); // chat limit applies
  EXPECT_EQ(stmts[1].params[8], -1); // image limit not involved in a chat charge
}

TEST(Time, LocalDayAndMidnight) {
  // 2026-11-27T16:30:00Z is 2026-11-28 00:30 in UTC+8.
  long long t = 1795797000000LL;
  EXPECT_EQ(iso8601_utc(t), "2026-11-27T16:30:00Z");
  EXPECT_EQ(local_day(t, 480), "2026-11-28");
  EXPECT_EQ(local_day(t, 0), "2026-11-27");
  EXPECT_EQ(next_local_midnight_ms(t, 480), 1795881600000LL); // 2026-11-28T16:00:00Z
  EXPECT_EQ(local_midnight_ms(t, 480), 1795795200000LL);      // 2026-11-27T16:00:00Z
  EXPECT_EQ(local_day(0, -60), "1969-12-31");
}
