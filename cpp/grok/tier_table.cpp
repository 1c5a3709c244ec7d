// The tier table: plan names and /rest/rate-limits shapes → basic / super / heavy.
#include "grok/tier_table.h"

#include "grok/rate_limits.h"

#include <array>

namespace g2a::grok {

namespace {
using T = Tier;
// Plan names as grok.com's /rest/subscriptions (`tier`, SUBSCRIPTION_TIER_*) and the Grok CLI's
// /v1/user (`subscriptionTier`, CamelCase) spell them. X Basic and X Premium are X plans with
// limited Grok (fast mode); X Premium+ and every SuperGrok plan reach the Super models; only
// SuperGrok Heavy (SUPER_GROK_PRO, shown as "SuperGrokPro" / "Heavy") reaches heavy mode.
// clang-format off
constexpr std::array kPlans = {
  PlanRow{"SUBSCRIPTION_TIER_INVALID",          "Free",           T::Basic, false},
  PlanRow{"SUBSCRIPTION_TIER_FREE",             "Free",           T::Basic, false},
  PlanRow{"SUBSCRIPTION_TIER_X_BASIC",          "XBasic",         T::Basic, true},
  PlanRow{"SUBSCRIPTION_TIER_X_PREMIUM",        "XPremium",       T::Basic, true},
  PlanRow{"SUBSCRIPTION_TIER_X_PREMIUM_PLUS",   "XPremiumPlus",   T::Super, true},
  PlanRow{"SUBSCRIPTION_TIER_SUPER_GROK_LITE",  "SuperGrokLite",  T::Super, true},
  PlanRow{"SUBSCRIPTION_TIER_GROK_PRO",         "SuperGrok",      T::Super, true},
  PlanRow{"SUBSCRIPTION_TIER_SUPER_GROK",       "SuperGrok",      T::Super, true},
  PlanRow{"SUBSCRIPTION_TIER_SUPER_GROK_PLUS",  "SuperGrokPlus",  T::Super, true},
  PlanRow{"SUBSCRIPTION_TIER_SUPER_GROK_PRO",   "SuperGrokPro",   T::Heavy, true},
  PlanRow{"SUBSCRIPTION_TIER_SUPER_GROK_HEAVY", "SuperGrokHeavy", T::Heavy, true},
  PlanRow{"SUBSCRIPTION_TIER_GROK_PRO_HEAVY",   "SuperGrokHeavy", T::Heavy, true},
};
// Extra spellings of the same plans (the CLI calls SuperGrok "GrokPro"; Heavy is also "Heavy").
struct Alias { std::string_view compact; std::string_view plan; };
constexpr std::array kAliases = {
  Alias{"GROKPRO",      "SUBSCRIPTION_TIER_GROK_PRO"},
  Alias{"GROKLITE",     "SUBSCRIPTION_TIER_SUPER_GROK_LITE"},
  Alias{"GROKPLUS",     "SUBSCRIPTION_TIER_SUPER_GROK_PLUS"},
  Alias{"SUPERGROK+",   "SUBSCRIPTION_TIER_SUPER_GROK_PLUS"},
  Alias{"GROKHEAVY",    "SUBSCRIPTION_TIER_SUPER_GROK_HEAVY"},
  Alias{"HEAVY",        "SUBSCRIPTION_TIER_SUPER_GROK_HEAVY"},
  Alias{"XPREMIUM+",    "SUBSCRIPTION_TIER_X_PREMIUM_PLUS"},
  Alias{"PREMIUMPLUS",  "SUBSCRIPTION_TIER_X_PREMIUM_PLUS"},
  Alias{"PREMIUM",      "SUBSCRIPTION_TIER_X_PREMIUM"},
  Alias{"BASIC",        "SUBSCRIPTION_TIER_X_BASIC"},
};
// Totals per mode (reference §2.9: chenyme-go's table; auto 25 is SuperGrok Lite, chenyme#555).
constexpr std::array kShapes = {
  QuotaShapeRow{"auto",  7,   T::Basic},
  QuotaShapeRow{"auto",  20,  T::Basic},
  QuotaShapeRow{"auto",  25,  T::Super},
  QuotaShapeRow{"auto",  50,  T::Super},
  QuotaShapeRow{"auto",  150, T::Heavy},
  QuotaShapeRow{"fast",  30,  T::Basic},
  QuotaShapeRow{"fast",  140, T::Super},
  QuotaShapeRow{"fast",  400, T::Heavy},
  QuotaShapeRow{"heavy", -1,  T::Heavy},
};
// clang-format on

// Upper case without separators and without the enum prefix: "super_grok-plus" → SUPERGROKPLUS.
std::string compact(std::string_view s) {
  for (std::string_view prefix : {"SUBSCRIPTION_TIER_", "PRODUCT_TIER_"}) {
    if (s.size() < prefix.size()) continue;
    bool same = true;
    for (size_t i = 0; i < prefix.size() && same; ++i) {
      char c = s[i];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      same = c == prefix[i];
    }
    if (same) {
      s.remove_prefix(prefix.size());
      break;
    }
  }
  std::string out;
  for (char c : s) {
    if (c == '_' || c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    out.push_back(c);
  }
  return out;
}

const PlanRow *plan_named(std::string_view name) {
  for (const auto &p : kPlans)
    if (p.name == name) return &p;
  return nullptr;
}
} // namespace

std::span<const PlanRow> plan_rows() {
  return kPlans;
}
std::span<const QuotaShapeRow> quota_shape_rows() {
  return kShapes;
}

const PlanRow *find_plan(std::string_view name) {
  std::string c = compact(name);
  if (c.empty()) return nullptr;
  for (const auto &p : kPlans)
    if (compact(p.name) == c || compact(p.label) == c) return &p;
  for (const auto &a : kAliases)
    if (a.compact == c) return plan_named(a.plan);
  return nullptr;
}

Tier infer_tier(std::string_view mode, const QuotaSnapshot &quota, bool *confident) {
  auto answer = [&](Tier t, bool sure) {
    if (confident) *confident = sure;
    return t;
  };
  if (!quota.known) return answer(Tier::Basic, false);
  for (const auto &row : kShapes) {
    if (row.mode != mode) continue;
    if (row.total < 0 ? (quota.total > 0 || quota.remaining > 0) : quota.total == row.total)
      return answer(row.tier, true);
  }
  return answer(Tier::Basic, false); // e.g. no heavy quota: Basic or Super
}

TierGuess guess_tier(std::string_view mode, const QuotaSnapshot &quota, std::string_view plan) {
  TierGuess g;
  g.source = "none";
  if (const PlanRow *p = find_plan(plan)) {
    g.tier = p->tier;
    g.confident = true;
    g.plan = std::string(p->label);
    g.source = "plan";
    return g;
  }
  if (!plan.empty()) g.plan = std::string(plan.substr(0, 64)); // unknown: shown, not trusted
  bool sure = false;
  g.tier = infer_tier(mode, quota, &sure);
  g.confident = sure;
  if (sure) g.source = "quota";
  return g;
}

} // namespace g2a::grok
