// Which tier (basic / super / heavy) a Grok account has, from the one table of evidence: the
// plan names grok.com and the Grok CLI report (SUBSCRIPTION_TIER_* enum values and their
// CamelCase forms such as `SuperGrokPlus`), and the `/rest/rate-limits` totals per mode. A
// plan name, where an answer carries one, wins over the numbers (a paid plan can report zero
// numeric limits, e.g. SuperGrokPlus on weekly credits).
#pragma once

#include "grok/models.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace g2a::grok {

struct QuotaSnapshot; // grok/rate_limits.h

// One known plan: its canonical enum name, the product's label and the tier it serves as.
struct PlanRow {
  std::string_view name;  // e.g. SUBSCRIPTION_TIER_SUPER_GROK_PLUS
  std::string_view label; // e.g. SuperGrokPlus (the Grok CLI's subscriptionTier value)
  Tier tier;
  bool paid;
};
std::span<const PlanRow> plan_rows();

// The plan a name denotes, in any of its spellings: the enum (SUBSCRIPTION_TIER_GROK_PRO, also
// with PRODUCT_TIER_), the CamelCase label (GrokPro, SuperGrokPlus), any case, `_`/`-`/space
// separated. nullptr for an unknown name (the numbers decide then).
const PlanRow *find_plan(std::string_view name);

// One known /rest/rate-limits shape: the total of a mode's quota and the tier it shows.
struct QuotaShapeRow {
  std::string_view mode;
  long long total; // -1: any positive total
  Tier tier;
};
std::span<const QuotaShapeRow> quota_shape_rows();

struct TierGuess {
  Tier tier = Tier::Basic;
  bool confident = false;
  std::string plan; // the plan's label when a known plan decided; an unknown name as sent; ""
  const char *source = "none"; // "plan" or "quota" when confident, else "none"
};

// The tier the evidence shows: a known plan name wins; else a known quota shape; else Basic,
// not confident.
TierGuess guess_tier(std::string_view mode, const QuotaSnapshot &quota, std::string_view plan);

// The numbers alone (kept for callers that have no plan name).
Tier infer_tier(std::string_view mode, const QuotaSnapshot &quota, bool *confident = nullptr);

} // namespace g2a::grok
