// answer::Fault (answer/fault.h): the one way an upstream step reports why it did not succeed —
// read by the pool (token_pool_test covers record_outcome), turned into the client's error by
// app::upstream_error, and made from a refused WebSocket upgrade by app::handshake_fault.
#include "answer/fault.h"
#include "app/failure_map.h"
#include "app/grok_rest.h"
#include "core/json.h"

#include <gtest/gtest.h>

#include <string>

using namespace g2a;
using answer::Failure;
using answer::Fault;

namespace {

std::string header(const ApiError &e, const std::string &name) {
  for (const auto &[k, v] : e.headers)
    if (k == name) return v;
  return "<absent>";
}

TEST(Fault, DefaultIsSuccessWithNoRetryAfter) {
  Fault f;
  EXPECT_TRUE(f.ok());
  EXPECT_EQ(f.failure, Failure::None);
  EXPECT_EQ(f.detail, "");
  EXPECT_EQ(f.retry_after_s, -1);
  Fault g{Failure::Timeout, "idle"};
  EXPECT_FALSE(g.ok());
  EXPECT_EQ(g.detail, "idle");
  EXPECT_EQ(g.retry_after_s, -1);
}

TEST(Fault, UpstreamResultHoldsTheValueOrTheFault) {
  answer::UpstreamResult<std::string> v = std::string("uid-1");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "uid-1");
  EXPECT_EQ(v->size(), 5u);
  answer::UpstreamResult<std::string> e = Fault{Failure::AuthInvalid, "signed out"};
  ASSERT_FALSE(e.ok());
  ASSERT_NE(e.error_if(), nullptr);
  EXPECT_EQ(e.error().failure, Failure::AuthInvalid);
  EXPECT_EQ(e.error().detail, "signed out");
}

TEST(Fault, ClientErrorCarriesTheDetailAndTheRetryAfter) {
  ApiError limited = app::upstream_error({Failure::RateLimited, "HTTP 429", 90});
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.code, "rate_limit_exceeded");
  EXPECT_EQ(limited.message, "Grok rate-limited every account tried (HTTP 429)");
  EXPECT_EQ(header(limited, "retry-after"), "90");
  // Unknown retry-after: the documented default of 60 s.
  EXPECT_EQ(header(app::upstream_error({Failure::RateLimited}), "retry-after"), "60");
  ApiError local = app::upstream_error({Failure::EgressUnavailable, "binding GROK is not bound"});
  EXPECT_EQ(local.status, 503);
  EXPECT_EQ(local.message, "binding GROK is not bound");
}

TEST(Fault, RestReplyIsOkExactlyWhenItsFaultIs) {
  app::RestReply r;
  EXPECT_TRUE(r.ok());
  r.fault = {Failure::Upstream5xx, "HTTP 502"};
  EXPECT_FALSE(r.ok());
}

fx::FetchResult upgrade(const json &j) {
  return fx::FetchResult::of(j);
}

TEST(Fault, RefusedUpgradeIsTheAccountsOnlyWhenGrokSaysSo) {
  json limited = json::parse(
      R"({"ok":true,"status":429,"headers":[["content-type","text/plain"],["retry-after","7"]],"body":"slow down"})");
  Fault f = app::handshake_fault(upgrade(limited), "mgw");
  EXPECT_EQ(f.failure, Failure::RateLimited);
  EXPECT_EQ(f.detail, "mgw handshake: HTTP 429");
  EXPECT_EQ(f.retry_after_s, 7);

  json signed_out = json::parse(R"({"ok":true,"status":401,"headers":[],"body":"{}"})");
  Fault a = app::handshake_fault(upgrade(signed_out), "imagine");
  EXPECT_EQ(a.failure, Failure::AuthInvalid);
  EXPECT_EQ(a.detail, "imagine handshake: HTTP 401");
  EXPECT_EQ(a.retry_after_s, -1);

  // A server error is the transport's, not the account's.
  json broken = json::parse(R"({"ok":true,"status":502,"headers":[],"body":"bad gateway"})");
  EXPECT_EQ(app::handshake_fault(upgrade(broken), "mgw").failure, Failure::HandshakeRefused);
  // No HTTP answer at all (a network error): status 0, refused.
  json none = json::parse(R"({"ok":false,"error":"connect failed"})");
  Fault n = app::handshake_fault(upgrade(none), "mgw");
  EXPECT_EQ(n.failure, Failure::HandshakeRefused);
  EXPECT_EQ(n.detail, "mgw handshake: HTTP 0");
}

} // namespace
