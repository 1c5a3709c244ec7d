// Upstream failure classification: HTTP answers (status, content type, body) and in-band
// messages, per the error shapes in the protocol reference; and the Failure names.
#include "grok/upstream_errors.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace g2a::grok;

TEST(UpstreamErrors, AuthFailures) {
  EXPECT_EQ(classify_http_failure(401, "application/json", "{}"), Failure::AuthInvalid);
  EXPECT_EQ(classify_http_failure(401, "", ""), Failure::AuthInvalid);
  EXPECT_EQ(classify_http_failure(403, "application/json",
                                  R"({"error":{"code":7,"message":"blocked-user"}})"),
            Failure::AuthInvalid);
  EXPECT_EQ(classify_http_failure(400, "application/json", R"({"error":"User is blocked"})"),
            Failure::AuthInvalid);
  for (const char *m : {"invalid-credentials", "bad-credentials", "Failed to look up session ID",
                        "session not found", "Account suspended", "token revoked", "Token expired",
                        "UNAUTHENTICATED", "email-domain-rejected"}) {
    EXPECT_EQ(classify_http_failure(403, "application/json",
                                    std::string(R"({"error":{"message":")") + m + "\"}}"),
              Failure::AuthInvalid)
        << m;
    EXPECT_EQ(classify_error_message(m), Failure::AuthInvalid) << m;
  }
  EXPECT_EQ(classify_error_message("nope", "16"), Failure::AuthInvalid);
}

TEST(UpstreamErrors, RateLimits) {
  EXPECT_EQ(classify_http_failure(429, "application/json", "{}"), Failure::RateLimited);
  EXPECT_EQ(classify_http_failure(429, "text/html", "<html>Too Many</html>"), Failure::RateLimited);
  EXPECT_EQ(classify_error_message("You've reached your usage limit. Please try again later."),
            Failure::RateLimited);
  EXPECT_EQ(classify_error_message("Rate limit exceeded"), Failure::RateLimited);
  EXPECT_EQ(classify_error_message("Too Many Requests"), Failure::RateLimited);
  EXPECT_EQ(classify_error_message("something", "8"), Failure::RateLimited);
  EXPECT_EQ(classify_error_message("", "usageLimitReached"), Failure::RateLimited);
  EXPECT_EQ(classify_error_message("Image rate limit exceeded", "rate_limit_exceeded"),
            Failure::RateLimited);
  EXPECT_EQ(
      classify_http_failure(400, "application/json", R"({"error":{"code":8,"message":"quota"}})"),
      Failure::RateLimited);
}

TEST(UpstreamErrors, AntiBotAndStatsig) {
  EXPECT_EQ(
      classify_http_failure(
          403, "application/json",
          R"({"error":{"code":7,"message":"Request rejected by anti-bot rules.","details":[]}})"),
      Failure::AntiBot);
  EXPECT_EQ(
      classify_http_failure(
          403, "application/json; charset=utf-8",
          R"({"error":{"code":7,"message":"This page is out of date. Reload to continue."}})"),
      Failure::StatsigOutdated);
  // Any other JSON code-7 refusal is a policy refusal too.
  EXPECT_EQ(classify_http_failure(403, "application/json",
                                  R"({"error":{"code":7,"message":"Permission denied"}})"),
            Failure::AntiBot);
  EXPECT_EQ(classify_error_message("Request rejected by anti-bot rules.", "7"), Failure::AntiBot);
}

TEST(UpstreamErrors, CloudflareChallenges) {
  const char *page = "<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
                     "<script src=\"/cdn-cgi/challenge-platform/h/b/orchestrate\"></script></html>";
  EXPECT_EQ(classify_http_failure(403, "text/html; charset=UTF-8", page),
            Failure::CloudflareChallenge);
  EXPECT_EQ(classify_http_failure(503, "text/html", page), Failure::CloudflareChallenge);
  EXPECT_EQ(classify_http_failure(403, "", ""), Failure::CloudflareChallenge);
  EXPECT_EQ(classify_http_failure(403, "text/plain", "  \n"), Failure::CloudflareChallenge);
  EXPECT_EQ(classify_http_failure(403, "", "<html>blocked</html>"), Failure::CloudflareChallenge);
  EXPECT_EQ(classify_http_failure(403, "text/plain", "window.__cf_chl_opt={}"),
            Failure::CloudflareChallenge);
  EXPECT_EQ(classify_http_failure(503, "text/html", "<html>cf-chl-bypass</html>"),
            Failure::CloudflareChallenge);
  // A 503 HTML page without challenge markers is an ordinary server error.
  EXPECT_EQ(classify_http_failure(503, "text/html", "<html>Service Unavailable</html>"),
            Failure::Upstream5xx);
}

TEST(UpstreamErrors, ModerationExhaustionAndModel) {
  EXPECT_EQ(classify_error_message("Content moderated [WKE=grok:content-moderated]", "3"),
            Failure::Moderated);
  EXPECT_EQ(classify_http_failure(400, "application/json",
                                  R"({"error":{"code":3,"message":"Content moderated"}})"),
            Failure::Moderated);
  EXPECT_EQ(classify_error_message("Stream aborted by server or connection error: Status { code: "
                                   "ResourceExhausted, message: \"load_shed_probability\" }"),
            Failure::ResourceExhausted);
  EXPECT_EQ(classify_error_message("Grok is under heavy usage right now"),
            Failure::ResourceExhausted);
  EXPECT_EQ(classify_error_message("Model not available"), Failure::ModelUnavailable);
  EXPECT_EQ(classify_error_message("", "modelNotAvailable"), Failure::ModelUnavailable);
  EXPECT_EQ(classify_http_failure(400, "application/json",
                                  R"({"error":{"message":"modelNotAvailable"}})"),
            Failure::ModelUnavailable);
}

TEST(UpstreamErrors, StatusFallbacks) {
  EXPECT_EQ(classify_http_failure(500, "application/json", R"({"error":"boom"})"),
            Failure::Upstream5xx);
  EXPECT_EQ(classify_http_failure(502, "text/plain", "bad gateway"), Failure::Upstream5xx);
  EXPECT_EQ(classify_http_failure(400, "application/json", R"({"error":"bad field"})"),
            Failure::BadResponse);
  EXPECT_EQ(classify_http_failure(404, "text/html", "<html>not found</html>"),
            Failure::BadResponse);
  EXPECT_EQ(classify_http_failure(0, "", ""), Failure::Network);
  EXPECT_EQ(classify_error_message("some unknown upstream failure"), Failure::Upstream5xx);
  EXPECT_EQ(classify_error_message(""), Failure::Upstream5xx);
}

TEST(UpstreamErrors, FailureNamesAreSnakeCaseAndUnique) {
  std::set<std::string> names;
  for (int i = 0; i <= static_cast<int>(Failure::HandshakeRefused); ++i) {
    std::string n = failure_name(static_cast<Failure>(i));
    for (char c : n) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') << n;
    names.insert(n);
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(Failure::HandshakeRefused) + 1);
  EXPECT_STREQ(failure_name(Failure::CloudflareChallenge), "cloudflare_challenge");
  EXPECT_STREQ(failure_name(Failure::Upstream5xx), "upstream_5xx");
}
