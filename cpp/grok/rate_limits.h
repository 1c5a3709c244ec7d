// Grok quotas (reference §2.5, §2.9; seed §4.1, §6.1): the /rest/rate-limits request
// bodies, the quota snapshot parsed from its answer (with a plan name where the answer
// carries one; the tier it shows is grok/tier_table.h's), and the Imagine quota_info answer.
#pragma once

#include "grok/models.h"
#include "grok/tier_table.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::grok {

// {"modelName":"<mode>"} — newest form, a mode name (auto, fast, expert, heavy, …).
std::string rate_limits_body_new(std::string_view mode);
// {"requestKind":"DEFAULT","modelName":"<model>"} — legacy form.
std::string rate_limits_body_legacy(std::string_view model_name);

// -1 means "not reported".
struct QuotaSnapshot {
  long long remaining = -1, total = -1, window_s = -1;
  long long remaining_tokens = -1, total_tokens = -1;
  int low_cost = 1, high_cost = 1;
  bool known = false;
  // A plan name, when the answer names one: a top-level `subscriptionTier` /
  // `subscription_tier` / `tier` / `plan` string, or the best active entry of a `subscriptions`
  // array of {tier, status} (the /rest/subscriptions shape). No public capture shows one in a
  // rate-limits answer; it is read where present. "" when none.
  std::string plan;
};

// Remaining queries for the effort tier: `high|lowEffortRateLimits.remainingQueries`, else
// the top-level `remainingQueries`, else floor(remainingTokens / tier cost). `total` is
// `totalQueries`, else floor(totalTokens / tier cost). nullopt when the body is not a JSON
// object or reports neither queries, tokens nor a plan (a plan alone: known = false, plan set).
std::optional<QuotaSnapshot> parse_rate_limits(std::string_view body, bool high_effort);

// POST /rest/media/imagine/quota_info → {image, imagePro, imageEdit, video, video720p}, each
// {available, remainingQueries, windowSizeSeconds, nextAvailableAt} or null.
struct ImagineSlot {
  std::string kind;     // the key: image, imagePro, imageEdit, video, video720p, …
  bool offered = false; // false when the value was null (not offered to the account)
  bool available = false;
  long long remaining = -1; // -1: not reported
  long long window_s = -1;
  std::string next_available_at; // as sent (ISO time or epoch number), "" when null
};
struct ImagineQuota {
  std::vector<ImagineSlot> slots; // in body order
  const ImagineSlot *find(std::string_view kind) const;
};
std::optional<ImagineQuota> parse_imagine_quota(std::string_view body);

} // namespace g2a::grok
