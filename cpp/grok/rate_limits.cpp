// /rest/rate-limits and /rest/media/imagine/quota_info: request bodies, answer parsing and
// tier inference.
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

std::optional<QuotaSnapshot> parse_rate_limits(std::string_view body, bool high_effort) {
  jf::Doc doc;
  if (!doc.parse(body)) return std::nullopt;
  auto top = jf::as_object(doc.root);
  if (!top) return std::nullopt;

  QuotaSnapshot q;
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
  else
    return std::nullopt; // neither queries nor tokens: rate_limit_payload_missing_quota_fields
  if (total)
    q.total = clamp0(*total);
  else if (q.total_tokens >= 0)
    q.total = q.total_tokens / cost;
  q.known = true;
  return q;
}

Tier infer_tier(std::string_view mode, const QuotaSnapshot &quota, bool *confident) {
  auto answer = [&](Tier t, bool sure) {
    if (confident) *confident = sure;
    return t;
  };
  if (!quota.known) return answer(Tier::Basic, false);
  long long total = quota.total;
  if (mode == "heavy") {
    if (total > 0 || quota.remaining > 0) return answer(Tier::Heavy, true);
    return answer(Tier::Basic, false); // no heavy quota: Basic or Super
  }
  if (mode == "auto") {
    if (total == 7 || total == 20) return answer(Tier::Basic, true);
    if (total == 50) return answer(Tier::Super, true);
    if (total == 150) return answer(Tier::Heavy, true);
  } else if (mode == "fast") {
    if (total == 30) return answer(Tier::Basic, true);
    if (total == 140) return answer(Tier::Super, true);
    if (total == 400) return answer(Tier::Heavy, true);
  }
  return answer(Tier::Basic, false);
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
