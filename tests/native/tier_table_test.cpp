// The tier table (grok/tier_table.h): every plan row in its spellings, every quota shape row,
// a plan winning over the numbers, and the plan names a rate-limits answer may carry.
#include "grok/rate_limits.h"
#include "grok/tier_table.h"

#include <gtest/gtest.h>

#include <string>

using namespace g2a::grok;

namespace {
QuotaSnapshot snap(long long total, long long remaining = -2) {
  QuotaSnapshot q;
  q.known = true;
  q.total = total;
  q.remaining = remaining == -2 ? total : remaining;
  return q;
}
} // namespace

// Every plan row, written out by hand: enum name, CamelCase label, tier, paid.
TEST(TierTable, EveryPlanRow) {
  struct Want {
    const char *name, *label;
    Tier tier;
    bool paid;
  };
  const Want want[] = {
      {"SUBSCRIPTION_TIER_INVALID", "Free", Tier::Basic, false},
      {"SUBSCRIPTION_TIER_FREE", "Free", Tier::Basic, false},
      {"SUBSCRIPTION_TIER_X_BASIC", "XBasic", Tier::Basic, true},
      {"SUBSCRIPTION_TIER_X_PREMIUM", "XPremium", Tier::Basic, true},
      {"SUBSCRIPTION_TIER_X_PREMIUM_PLUS", "XPremiumPlus", Tier::Super, true},
      {"SUBSCRIPTION_TIER_SUPER_GROK_LITE", "SuperGrokLite", Tier::Super, true},
      {"SUBSCRIPTION_TIER_GROK_PRO", "SuperGrok", Tier::Super, true},
      {"SUBSCRIPTION_TIER_SUPER_GROK", "SuperGrok", Tier::Super, true},
      {"SUBSCRIPTION_TIER_SUPER_GROK_PLUS", "SuperGrokPlus", Tier::Super, true},
      {"SUBSCRIPTION_TIER_SUPER_GROK_PRO", "SuperGrokPro", Tier::Heavy, true},
      {"SUBSCRIPTION_TIER_SUPER_GROK_HEAVY", "SuperGrokHeavy", Tier::Heavy, true},
      {"SUBSCRIPTION_TIER_GROK_PRO_HEAVY", "SuperGrokHeavy", Tier::Heavy, true},
  };
  ASSERT_EQ(plan_rows().size(), std::size(want));
  for (size_t i = 0; i < std::size(want); ++i) {
    const PlanRow &row = plan_rows()[i];
    SCOPED_TRACE(want[i].name);
    EXPECT_EQ(row.name, want[i].name);
    EXPECT_EQ(row.label, want[i].label);
    EXPECT_EQ(row.tier, want[i].tier);
    EXPECT_EQ(row.paid, want[i].paid);
    // Found by its enum name in any case, with the PRODUCT_TIER_ prefix too.
    const PlanRow *p = find_plan(want[i].name);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->tier, want[i].tier);
    std::string lower = want[i].name;
    for (char &c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ASSERT_NE(find_plan(lower), nullptr);
    EXPECT_EQ(find_plan(lower)->tier, want[i].tier);
    std::string product = "PRODUCT_TIER_" + std::string(want[i].name).substr(18);
    ASSERT_NE(find_plan(product), nullptr);
    EXPECT_EQ(find_plan(product)->tier, want[i].tier);
    // And by its label.
    ASSERT_NE(find_plan(want[i].label), nullptr);
    EXPECT_EQ(find_plan(want[i].label)->tier, want[i].tier);
  }
}

TEST(TierTable, OtherSpellingsOfThePlans) {
  struct Case {
    const char *name;
    Tier tier;
  };
  const Case cases[] = {
      {"GrokPro", Tier::Super},
      {"SuperGrokPlus", Tier::Super},
      {"super_grok_plus", Tier::Super},
      {"SuperGrok Plus", Tier::Super},
      {"SuperGrok+", Tier::Super},
      {"GrokPlus", Tier::Super},
      {"SuperGrokLite", Tier::Super},
      {"GrokLite", Tier::Super},
      {"SuperGrokPro", Tier::Heavy},
      {"SuperGrokHeavy", Tier::Heavy},
      {"super-grok-heavy", Tier::Heavy},
      {"GrokHeavy", Tier::Heavy},
      {"Heavy", Tier::Heavy},
      {"XPremiumPlus", Tier::Super},
      {"X Premium+", Tier::Super},
      {"PremiumPlus", Tier::Super},
      {"XPremium", Tier::Basic},
      {"Premium", Tier::Basic},
      {"XBasic", Tier::Basic},
      {"Basic", Tier::Basic},
      {"free", Tier::Basic},
  };
  for (const auto &c : cases) {
    SCOPED_TRACE(c.name);
    const PlanRow *p = find_plan(c.name);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->tier, c.tier);
  }
  EXPECT_EQ(find_plan(""), nullptr);
  EXPECT_EQ(find_plan("SUBSCRIPTION_TIER_"), nullptr);
  EXPECT_EQ(find_plan("SomeNewTier"), nullptr);
  EXPECT_EQ(find_plan("SUBSCRIPTION_TIER_SOMETHING_ELSE"), nullptr);
}

// Every quota shape row, written out by hand.
TEST(TierTable, EveryQuotaShapeRow) {
  struct Want {
    const char *mode;
    long long total;
    Tier tier;
  };
  const Want want[] = {
      {"auto", 7, Tier::Basic},   {"auto", 20, Tier::Basic},  {"auto", 25, Tier::Super},
      {"auto", 50, Tier::Super},  {"auto", 150, Tier::Heavy}, {"fast", 30, Tier::Basic},
      {"fast", 140, Tier::Super}, {"fast", 400, Tier::Heavy}, {"heavy", -1, Tier::Heavy},
  };
  ASSERT_EQ(quota_shape_rows().size(), std::size(want));
  for (size_t i = 0; i < std::size(want); ++i) {
    const QuotaShapeRow &row = quota_shape_rows()[i];
    SCOPED_TRACE(std::string(want[i].mode) + " " + std::to_string(want[i].total));
    EXPECT_EQ(row.mode, want[i].mode);
    EXPECT_EQ(row.total, want[i].total);
    EXPECT_EQ(row.tier, want[i].tier);
    long long total = want[i].total < 0 ? 20 : want[i].total;
    TierGuess g = guess_tier(want[i].mode, snap(total), "");
    EXPECT_EQ(g.tier, want[i].tier);
    EXPECT_TRUE(g.confident);
    EXPECT_STREQ(g.source, "quota");
    EXPECT_EQ(g.plan, "");
  }
}

TEST(TierTable, UnknownShapesAreBasicAndNotConfident) {
  for (auto [mode, total] :
       {std::pair{"auto", 8LL}, {"fast", 0LL}, {"expert", 50LL}, {"heavy", 0LL}}) {
    TierGuess g = guess_tier(mode, snap(total), "");
    EXPECT_EQ(g.tier, Tier::Basic) << mode;
    EXPECT_FALSE(g.confident) << mode;
    EXPECT_STREQ(g.source, "none");
  }
  TierGuess unknown = guess_tier("auto", QuotaSnapshot{}, "");
  EXPECT_FALSE(unknown.confident);
}

// A paid plan with zero weekly numbers is paid: the plan wins over the numbers.
TEST(TierTable, PlanWinsOverTheNumbers) {
  TierGuess g = guess_tier("fast", snap(0, 0), "SuperGrokPlus");
  EXPECT_EQ(g.tier, Tier::Super);
  EXPECT_TRUE(g.confident);
  EXPECT_STREQ(g.source, "plan");
  EXPECT_EQ(g.plan, "SuperGrokPlus");
  // Numbers that say Basic lose to a Heavy plan, and numbers that say Heavy to a free plan.
  EXPECT_EQ(guess_tier("fast", snap(30), "SUBSCRIPTION_TIER_SUPER_GROK_PRO").tier, Tier::Heavy);
  EXPECT_EQ(guess_tier("fast", snap(400), "SUBSCRIPTION_TIER_INVALID").tier, Tier::Basic);
  // No numbers at all, a plan only.
  EXPECT_EQ(guess_tier("auto", QuotaSnapshot{}, "GrokPro").tier, Tier::Super);
  // An unknown plan name is shown, not trusted: the numbers decide.
  TierGuess u = guess_tier("fast", snap(140), "SuperGrokUltra");
  EXPECT_EQ(u.tier, Tier::Super);
  EXPECT_STREQ(u.source, "quota");
  EXPECT_EQ(u.plan, "SuperGrokUltra");
}

TEST(TierTable, PlanNamesInARateLimitsAnswer) {
  auto plan = [](const char *body) {
    auto q = parse_rate_limits(body, false);
    return q ? q->plan : std::string("<nullopt>");
  };
  EXPECT_EQ(plan(R"({"remainingQueries":0,"totalQueries":0,"windowSizeSeconds":604800,)"
                 R"("subscriptionTier":"SuperGrokPlus"})"),
            "SuperGrokPlus");
  EXPECT_EQ(plan(R"({"remainingQueries":1,"subscription_tier":"SUBSCRIPTION_TIER_GROK_PRO"})"),
            "SUBSCRIPTION_TIER_GROK_PRO");
  EXPECT_EQ(plan(R"({"remainingQueries":1,"tier":"SuperGrokPro"})"), "SuperGrokPro");
  EXPECT_EQ(plan(R"({"remainingQueries":1,"plan":"XPremium"})"), "XPremium");
  // The /rest/subscriptions shape: the active entry of the highest tier.
  EXPECT_EQ(
      plan(
          R"({"remainingQueries":1,"subscriptions":[)"
          R"({"tier":"SUBSCRIPTION_TIER_SUPER_GROK_PRO","status":"SUBSCRIPTION_STATUS_INACTIVE"},)"
          R"({"tier":"SUBSCRIPTION_TIER_X_PREMIUM","status":"SUBSCRIPTION_STATUS_ACTIVE"},)"
          R"({"tier":"SUBSCRIPTION_TIER_SUPER_GROK_PLUS","status":"SUBSCRIPTION_STATUS_ACTIVE"}]})"),
      "SUBSCRIPTION_TIER_SUPER_GROK_PLUS");
  EXPECT_EQ(plan(R"({"remainingQueries":1})"), "");
  EXPECT_EQ(plan(R"({"remainingQueries":1,"tier":7,"subscriptions":"x"})"), "");
  // A plan and no numbers: a snapshot that is not known, with its plan.
  auto q = parse_rate_limits(R"({"subscriptionTier":"SuperGrokPlus"})", false);
  ASSERT_TRUE(q);
  EXPECT_FALSE(q->known);
  EXPECT_EQ(q->plan, "SuperGrokPlus");
  EXPECT_FALSE(parse_rate_limits(R"({"windowSizeSeconds":7200})", false));
}
