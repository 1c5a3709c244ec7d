// Token-pool policy: eligibility, ordering, the no-token answers, and outcome statements.
#include "pool/token_pool.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::pool;
using answer::Failure;
using answer::Fault;
using grok::Tier;

namespace {
constexpr long long kNow = 1'800'000'000'000LL;

TokenRow tok(std::string id, Tier tier = Tier::Basic) {
  TokenRow t;
  t.id = std::move(id);
  t.sso = "sso-" + t.id;
  t.tier = tier;
  return t;
}

std::vector<std::string> ids(const std::vector<const TokenRow *> &v) {
  std::vector<std::string> out;
  for (auto *t : v) out.push_back(t->id);
  return out;
}
} // namespace

TEST(Pool, PrefersCheapestTierThenMostQuotaThenLeastRecentlyUsed) {
  std::vector<TokenRow> rows{tok("super", Tier::Super), tok("b-low"), tok("b-high"),
                             tok("b-unknown")};
  rows[1].remaining = 2;
  rows[2].remaining = 30;
  rows[3].last_used_at = kNow - 10;
  auto order = rank(rows, PoolLimits{}, kNow, {});
  EXPECT_EQ(ids(order), (std::vector<std::string>{"b-unknown", "b-high", "b-low", "super"}));
}

TEST(Pool, LeastRecentlyUsedBreaksTies) {
  std::vector<TokenRow> rows{tok("a"), tok("b"), tok("c")};
  rows[0].last_used_at = kNow - 100;
  rows[1].last_used_at = kNow - 300;
  rows[2].last_used_at = kNow - 200;
  EXPECT_EQ(ids(rank(rows, PoolLimits{}, kNow, {})), (std::vector<std::string>{"b", "c", "a"}));
}

TEST(Pool, SkipsCoolingExhaustedBusyAndExcluded) {
  std::vector<TokenRow> rows{tok("cooling"), tok("bucket-cooling"), tok("exhausted"),
                             tok("busy"),    tok("tried"),          tok("ok")};
  rows[0].cooldown_until = kNow + 1000;
  rows[1].cooling_until = kNow + 5000;
  rows[2].remaining = 0;
  rows[2].window_s = 7200;
  rows[2].refreshed_at = kNow - 1000;
  rows[3].inflight = 4;
  rows[3].inflight_at = kNow - 1000;
  auto order = rank(rows, PoolLimits{}, kNow, {"tried"});
  EXPECT_EQ(ids(order), (std::vector<std::string>{"ok"}));
}

TEST(Pool, ExhaustedBucketIsRetriedOnceItsWindowPassedAndStaleInflightExpires) {
  std::vector<TokenRow> rows{tok("reset"), tok("stale-busy")};
  rows[0].remaining = 0;
  rows[0].window_s = 60;
  rows[0].refreshed_at = kNow - 61'000;
  rows[1].inflight = 99;
  rows[1].inflight_at = kNow - 11 * 60 * 1000;
  EXPECT_EQ(rank(rows, PoolLimits{}, kNow, {}).size(), 2u);
}

TEST(Pool, NoTokensConfiguredIs503NotRetryable) {
  ApiError e = no_token_error({}, PoolCounts{}, Tier::Basic, PoolLimits{}, kNow);
  EXPECT_EQ(e.status, 503);
  EXPECT_EQ(e.code, "no_available_token");
  ASSERT_FALSE(e.headers.empty());
  EXPECT_EQ(e.headers[0], (std::pair<std::string, std::string>{"x-should-retry", "false"}));
}

TEST(Pool, MissingTierIs503NamingTheTier) {
  ApiError e = no_token_error({}, PoolCounts{3, 3, 0}, Tier::Heavy, PoolLimits{}, kNow);
  EXPECT_EQ(e.status, 503);
  EXPECT_NE(e.message.find("heavy"), std::string::npos);
}

TEST(Pool, MissingTierNamesWhatTheAccountsCanServe) {
  PoolCounts c{3, 3, 0};
  c.best_tier = static_cast<int>(Tier::Basic);
  ApiError e = no_token_error({}, c, Tier::Super, PoolLimits{}, kNow);
  EXPECT_EQ(e.status, 503);
  EXPECT_EQ(e.code, "no_available_token");
  EXPECT_NE(e.message.find("tier 'super' or above"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("'basic' at best"), std::string::npos) << e.message;
  // Basic models are offered, Super ones are not.
  EXPECT_NE(e.message.find("grok-4-fast"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("grok-chat-fast"), std::string::npos) << e.message;
  EXPECT_EQ(e.message.find("grok-chat-expert"), std::string::npos) << e.message;
  EXPECT_EQ(e.message.find("grok-4-heavy"), std::string::npos) << e.message;
  // Read from the counts row.
  PoolCounts read = counts_from_d1(
      json::array({json{{"total", 3}, {"usable", 2}, {"of_tier", 0}, {"best_tier", 1}}}));
  EXPECT_EQ(read.best_tier, 1);
  EXPECT_EQ(counts_from_d1(json::array()).best_tier, -1);
}

TEST(Pool, AllCoolingIs429WithRetryAfterOfTheSoonest) {
  std::vector<TokenRow> rows{tok("a"), tok("b")};
  rows[0].cooling_until = kNow + 120'000;
  rows[1].cooldown_until = kNow + 30'500;
  ApiError e = no_token_error(rows, PoolCounts{2, 2, 2}, Tier::Basic, PoolLimits{}, kNow);
  EXPECT_EQ(e.status, 429);
  EXPECT_EQ(e.code, "rate_limit_exceeded");
  ASSERT_FALSE(e.headers.empty());
  EXPECT_EQ(e.headers[0].first, "retry-after");
  EXPECT_EQ(e.headers[0].second, "31");
}

TEST(Pool, PenaltiesFollowTheFaultNotTheSymptom) {
  EXPECT_TRUE(penalizes(Failure::AuthInvalid));
  EXPECT_TRUE(penalizes(Failure::RateLimited));
  EXPECT_TRUE(penalizes(Failure::Network));
  EXPECT_FALSE(penalizes(Failure::AntiBot));
  EXPECT_FALSE(penalizes(Failure::CloudflareChallenge));
  EXPECT_FALSE(penalizes(Failure::Moderated));
  EXPECT_FALSE(penalizes(Failure::ResourceExhausted));
  EXPECT_TRUE(retry_elsewhere(Failure::ResourceExhausted));
  EXPECT_FALSE(retry_elsewhere(Failure::Moderated));
  EXPECT_FALSE(retry_elsewhere(Failure::CloudflareChallenge));
}

TEST(Pool, OutcomeStatementsAreParameterised) {
  TokenRow t = tok("t1");
  HealthPolicy p;
  for (Failure f : {Failure::None, Failure::AuthInvalid, Failure::RateLimited, Failure::Network,
                    Failure::AntiBot}) {
    auto stmts = record_outcome(t, "fast", Fault{f, "it's '; DROP TABLE tokens; --", -1}, p, kNow);
    ASSERT_FALSE(stmts.empty());
    for (const auto &s : stmts) {
      EXPECT_EQ(s.sql.find("DROP"), std::string::npos) << s.sql;
      EXPECT_TRUE(s.params.is_array());
    }
  }
  auto invalid = record_outcome(t, "fast", Fault{Failure::AuthInvalid, "401", -1}, p, kNow);
  EXPECT_NE(invalid[0].sql.find("status = 'invalid'"), std::string::npos);
  auto limited = record_outcome(t, "fast", Fault{Failure::RateLimited, "", 90}, p, kNow);
  EXPECT_EQ(limited[0].params[3], kNow + 90'000);
  EXPECT_EQ(limited[0].sql.find("status = 'invalid'"), std::string::npos);
}
