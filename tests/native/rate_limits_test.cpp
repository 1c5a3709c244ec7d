// Grok quotas (grok/rate_limits.h): request bodies, snapshot parsing (seed §6.1), tier
// inference (reference §2.9) and the Imagine quota_info answer.
#include "grok/rate_limits.h"

#include <gtest/gtest.h>

using namespace g2a::grok;

TEST(RateLimitBodies, NewAndLegacy) {
  EXPECT_EQ(rate_limits_body_new("fast"), R"({"modelName":"fast"})");
  EXPECT_EQ(rate_limits_body_legacy("grok-3"), R"({"requestKind":"DEFAULT","modelName":"grok-3"})");
  EXPECT_EQ(rate_limits_body_new("a\"b"), R"({"modelName":"a\"b"})");
}

TEST(RateLimitParse, SeedExamplePerEffortTier) {
  const char *body =
      R"({"windowSizeSeconds":7200,"remainingQueries":40,"totalQueries":40,"remainingTokens":80,"totalTokens":80,"lowEffortRateLimits":{"cost":1,"remainingQueries":40},"highEffortRateLimits":{"cost":4,"remainingQueries":10}})";
  auto low = parse_rate_limits(body, false);
  ASSERT_TRUE(low);
  EXPECT_TRUE(low->known);
  EXPECT_EQ(low->remaining, 40);
  EXPECT_EQ(low->total, 40);
  EXPECT_EQ(low->window_s, 7200);
  EXPECT_EQ(low->remaining_tokens, 80);
  EXPECT_EQ(low->total_tokens, 80);
  EXPECT_EQ(low->low_cost, 1);
  EXPECT_EQ(low->high_cost, 4);
  auto high = parse_rate_limits(body, true);
  ASSERT_TRUE(high);
  EXPECT_EQ(high->remaining, 10); // the tier's own count comes first
  EXPECT_EQ(high->total, 40);
}

TEST(RateLimitParse, FallsBackToTopLevelThenTokens) {
  auto top = parse_rate_limits(
      R"({"remainingQueries":7,"totalQueries":20,"windowSizeSeconds":7200,"highEffortRateLimits":{"cost":2}})",
      true);
  ASSERT_TRUE(top);
  EXPECT_EQ(top->remaining, 7);
  EXPECT_EQ(top->high_cost, 2);
  auto tokens = parse_rate_limits(
      R"({"remainingTokens":9,"totalTokens":40,"highEffortRateLimits":{"cost":4}})", true);
  ASSERT_TRUE(tokens);
  EXPECT_EQ(tokens->remaining, 2); // floor(9 / 4)
  EXPECT_EQ(tokens->total, 10);
  EXPECT_EQ(tokens->window_s, -1);
  auto tokens_low = parse_rate_limits(R"({"remainingTokens":9,"totalTokens":40})", false);
  ASSERT_TRUE(tokens_low);
  EXPECT_EQ(tokens_low->remaining, 9);
  EXPECT_EQ(tokens_low->low_cost, 1);
}

TEST(RateLimitParse, TolerantNumbers) {
  auto q = parse_rate_limits(
      R"({"remainingQueries":"12","totalQueries":30.0,"windowSizeSeconds":86400,"lowEffortRateLimits":null})",
      false);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->remaining, 12);
  EXPECT_EQ(q->total, 30);
  EXPECT_EQ(q->window_s, 86400);
  auto neg =
      parse_rate_limits(R"({"remainingQueries":-3,"lowEffortRateLimits":{"cost":0}})", false);
  ASSERT_TRUE(neg);
  EXPECT_EQ(neg->remaining, 0);
  EXPECT_EQ(neg->low_cost, 1); // a zero cost is ignored
  EXPECT_EQ(neg->total, -1);
}

TEST(RateLimitParse, RejectsUnparseableOrQuotaLess) {
  EXPECT_FALSE(parse_rate_limits("", false));
  EXPECT_FALSE(parse_rate_limits("<html>Just a moment...</html>", false));
  EXPECT_FALSE(parse_rate_limits("[1,2]", false));
  EXPECT_FALSE(parse_rate_limits(
      R"({"error":{"code":7,"message":"Request rejected by anti-bot rules.","details":[]}})",
      false));
  EXPECT_FALSE(parse_rate_limits(R"({"windowSizeSeconds":7200})", false));
  EXPECT_FALSE(parse_rate_limits(R"({"remainingQueries":"lots"})", false));
  EXPECT_FALSE(parse_rate_limits(R"({"remainingQueries":1)", false));
  EXPECT_FALSE(parse_rate_limits(std::string(5000, '['), false));
}

TEST(RateLimitTier, FromTotals) {
  auto snap = [](long long total) {
    QuotaSnapshot q;
    q.known = true;
    q.total = total;
    q.remaining = total;
    return q;
  };
  bool sure = false;
  EXPECT_EQ(infer_tier("auto", snap(20), &sure), Tier::Basic);
  EXPECT_TRUE(sure);
  EXPECT_EQ(infer_tier("auto", snap(7), &sure), Tier::Basic);
  EXPECT_TRUE(sure);
  EXPECT_EQ(infer_tier("fast", snap(30), &sure), Tier::Basic);
  EXPECT_TRUE(sure);
  EXPECT_EQ(infer_tier("auto", snap(50), &sure), Tier::Super);
  EXPECT_TRUE(sure);
  EXPECT_EQ(infer_tier("fast", snap(140), &sure), Tier::Super);
  EXPECT_TRUE(sure);
  EXPECT_EQ(infer_tier("auto", snap(150), &sure), Tier::Heavy);
  EXPECT_TRUE(sure);
  EXPECT_EQ(infer_tier("fast", snap(400), &sure), Tier::Heavy);
  EXPECT_TRUE(sure);
  EXPECT_EQ(infer_tier("heavy", snap(20), &sure), Tier::Heavy);
  EXPECT_TRUE(sure);
}

TEST(RateLimitTier, UnsureIsBasic) {
  QuotaSnapshot q;
  bool sure = true;
  EXPECT_EQ(infer_tier("auto", q, &sure), Tier::Basic); // unknown snapshot
  EXPECT_FALSE(sure);
  q.known = true;
  q.total = 8; // grok hides real limits for some models (chenyme#201)
  sure = true;
  EXPECT_EQ(infer_tier("auto", q, &sure), Tier::Basic);
  EXPECT_FALSE(sure);
  q.total = 0;
  q.remaining = 0;
  sure = true;
  EXPECT_EQ(infer_tier("heavy", q, &sure), Tier::Basic); // no heavy quota: Basic or Super
  EXPECT_FALSE(sure);
  q.total = 50;
  sure = true;
  EXPECT_EQ(infer_tier("expert", q, &sure), Tier::Basic);
  EXPECT_FALSE(sure);
  EXPECT_EQ(infer_tier("fast", q), Tier::Basic); // no out parameter
}

TEST(RateLimitImagine, ParsesSlots) {
  auto q = parse_imagine_quota(
      R"({"image":{"available":true,"remainingQueries":100,"windowSizeSeconds":86400,"nextAvailableAt":null},"imagePro":null,"imageEdit":{"available":false,"remainingQueries":0,"windowSizeSeconds":86400,"nextAvailableAt":"2026-09-01T00:00:00.000Z"},"video":{"remainingQueries":"5"},"video720p":{"available":true,"nextAvailableAt":1767225600000}})");
  ASSERT_TRUE(q);
  ASSERT_EQ(q->slots.size(), 5u);
  const ImagineSlot *image = q->find("image");
  ASSERT_TRUE(image);
  EXPECT_TRUE(image->offered);
  EXPECT_TRUE(image->available);
  EXPECT_EQ(image->remaining, 100);
  EXPECT_EQ(image->window_s, 86400);
  EXPECT_EQ(image->next_available_at, "");
  const ImagineSlot *pro = q->find("imagePro");
  ASSERT_TRUE(pro);
  EXPECT_FALSE(pro->offered);
  EXPECT_FALSE(pro->available);
  const ImagineSlot *edit = q->find("imageEdit");
  ASSERT_TRUE(edit);
  EXPECT_FALSE(edit->available);
  EXPECT_EQ(edit->remaining, 0);
  EXPECT_EQ(edit->next_available_at, "2026-09-01T00:00:00.000Z");
  const ImagineSlot *video = q->find("video");
  ASSERT_TRUE(video);
  EXPECT_TRUE(video->available); // inferred from remaining > 0
  EXPECT_EQ(video->remaining, 5);
  EXPECT_EQ(video->window_s, -1);
  EXPECT_EQ(q->find("video720p")->next_available_at, "1767225600000");
  EXPECT_FALSE(q->find("audio"));
}

TEST(RateLimitImagine, RejectsBadBodies) {
  EXPECT_FALSE(parse_imagine_quota(""));
  EXPECT_FALSE(parse_imagine_quota("null"));
  EXPECT_FALSE(parse_imagine_quota("{}"));
  EXPECT_FALSE(parse_imagine_quota(R"({"error":{"code":7,"message":"rejected"}})"));
  EXPECT_FALSE(parse_imagine_quota(R"({"image":{"available":true)"));
}
