// /rest/rate-limits and /rest/media/imagine/quota_info: request bodies and answer parsing.
#include "grok/rate_limits.h"

#include "core/json.h"
#include "grok/json_fields.h"

namespace g2a::grok {

std::string rate_limits_body_new(std::string_view mode) {
  json j = json::object();
  j["modelName"] = std::string(mode);
  return dump(j);
}

std::string rate_limits_body_legacy(std::string_view model_name) {
  json j = json::object();
  j["requestKind"] = "DEFAULT";
  j["modelName"] = std::string(model_name);
  return dump(j);
}

namespace {
// A field that is a JSON string (a number is not a plan name).
std::optional<std::string> string_field(const jf::object &o, std::string_view key) {
  auto e = jf::field(o, key);
  std::string_view v;
  if (!e || e->get_string().get(v) != simdjson::SUCCESS) return std::nullopt;
  return std::string(v);
}

bool active_status(std::string_view s) {
  return s == "SUBSCRIPTION_STATUS_ACTIVE" || s == "ACTIVE" ||
         s.find("TRIAL") != std::string_view::npos;
}

// The plan an answer names (see QuotaSnapshot::plan); among `subscriptions`, the active entry
// of the highest tier.
std::string plan_of(const jf::object &top) {
  for (std::string_view key : {"subscriptionTier", "subscription_tier", "tier", "plan"})
    if (auto t = string_field(top, key); t && !t->empty()) return t->substr(0, 64);
  jf::element list;
  simdjson::dom::array arr;
  if (top.at_key("subscriptions").get(list) != simdjson::SUCCESS ||
      list.get(arr) != simdjson::SUCCESS)
    return {};
  std::string best;
  int best_rank = -1;
  for (jf::element e : arr) {
    auto o = jf::as_object(e);
    if (!o) continue;
    auto tier = string_field(*o, "tier");
    if (!tier || tier->empty()) continue;
    auto status = string_field(*o, "status");
    if (status && !active_status(*status)) continue; // inactive, cancelled, expired
    const PlanRow *p = find_plan(*tier);
    int rank = p ? static_cast<int>(p->tier) * 2 + (p->paid ? 1 : 0) : -1;
    if (best.empty() || rank > best_rank) {
      best = tier->substr(0, 64);
      best_rank = rank;
    }
  }
  return best;
}
} // namespace

std::optional<QuotaSnapshot> parse_rate_limits(std::string_view body, bool high_effort) {
  jf::Doc doc;
  if (!doc.parse(body)) return std::nullopt;
  auto top = jf::as_object(doc.root);
  if (!top) return std::nullopt;

  QuotaSnapshot q;
  q.plan = plan_of(*top);
  auto low = jf::object_field(*top, "lowEffortRateLimits");
  auto high = jf::object_field(*top, "highEffortRateLimits");
  if (low)
    if (auto c = jf::number_field(*low, "cost"); c && *c > 0 && *c < 1000000) q.low_cost = int(*c);
  if (high)
    if (auto c = jf::number_field(*high, "cost"); c && *c > 0 && *c < 1000000)
      q.high_cost = int(*c);
  const auto &tier = high_effort ? high : low;
  int cost = high_effort ? q.high_cost : q.low_cost;

  auto clamp0 = [](long long v) { return v < 0 ? 0 : v; };
  std::optional<long long> remaining, total;
  if (tier) {
    remaining = jf::number_field(*tier, "remainingQueries");
    total = jf::number_field(*tier, "totalQueries");
  }
  if (!remaining) remaining = jf::number_field(*top, "remainingQueries");
  if (!total) total = jf::number_field(*top, "totalQueries");
  if (auto v = jf::number_field(*top, "remainingTokens")) q.remaining_tokens = clamp0(*v);
  if (auto v = jf::number_field(*top, "totalTokens")) q.total_tokens = clamp0(*v);
  if (auto v = jf::number_field(*top, "windowSizeSeconds")) q.window_s = clamp0(*v);

  if (remaining)
    q.remaining = clamp0(*remaining);
  else if (q.remaining_tokens >= 0)
    q.remaining = q.remaining_tokens / cost;
  else if (!q.plan.empty())
    return q; // a plan and no numbers: known stays false
  else
    return std::nullopt; // neither queries nor tokens: rate_limit_payload_missing_quota_fields
  if (total)
    q.total = clamp0(*total);
  else if (q.total_tokens >= 0)
    q.total = q.total_tokens / cost;
  q.known = true;
  return q;
}

const ImagineSlot *ImagineQuota::find(std::string_view kind) const {
  for (const auto &s : slots)
    if (s.kind == kind) return &s;
  return nullptr;
}

std::optional<ImagineQuota> parse_imagine_quota(std::string_view body) {
  jf::Doc doc;
  if (!doc.parse(body)) return std::nullopt;
  auto top = jf::as_object(doc.root);
  if (!top) return std::nullopt;
  ImagineQuota out;
  for (auto field : *top) {
    if (field.key.empty()) continue; // no slot is nameless (upstream_json_fuzz: `"":null`)
    ImagineSlot s;
    s.kind = std::string(field.key);
    if (jf::is_null(field.value)) {
      out.slots.push_back(std::move(s));
      continue;
    }
    auto obj = jf::as_object(field.value);
    if (!obj) continue;
    if (!jf::field(*obj, "available") && !jf::field(*obj, "remainingQueries") &&
        !jf::field(*obj, "windowSizeSeconds") && !jf::field(*obj, "nextAvailableAt"))
      continue; // not a quota slot (e.g. an "error" object)
    s.offered = true;
    auto remaining = jf::number_field(*obj, "remainingQueries");
    if (remaining) s.remaining = *remaining < 0 ? 0 : *remaining;
    if (auto w = jf::number_field(*obj, "windowSizeSeconds")) s.window_s = *w < 0 ? 0 : *w;
    if (auto a = jf::bool_field(*obj, "available"))
      s.available = *a;
    else
      s.available = remaining && *remaining > 0;
    if (auto e = jf::field(*obj, "nextAvailableAt")) {
      if (auto t = jf::as_text(*e))
        s.next_available_at = *t;
      else if (auto n = jf::as_number(*e))
        s.next_available_at = std::to_string(*n);
    }
    out.slots.push_back(std::move(s));
  }
  if (out.slots.empty()) return std::nullopt;
  return out;
}

} // namespace g2a::grok
