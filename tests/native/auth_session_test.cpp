// /api/auth/session parsing (grok/auth_session.h): user id lookup order and credential state.
#include "grok/auth_session.h"

#include <gtest/gtest.h>

using namespace g2a::grok;
using State = SessionInfo::State;

TEST(AuthSession, UserIdLookupOrder) {
  auto s = parse_auth_session(
      R"({"session":{"userId":"u-session"},"user":{"id":"u-user"},"id":"u-top","status":"authenticated"})");
  EXPECT_EQ(s.state, State::Authenticated);
  EXPECT_EQ(s.user_id, "u-session");
  EXPECT_EQ(parse_auth_session(R"({"user":{"id":"u-id","userId":"u-userId"}})").user_id, "u-id");
  EXPECT_EQ(parse_auth_session(R"({"user":{"userId":"u-userId","sub":"u-sub"}})").user_id,
            "u-userId");
  EXPECT_EQ(parse_auth_session(R"({"user":{"sub":"u-sub"},"id":"u-top"})").user_id, "u-sub");
  EXPECT_EQ(parse_auth_session(R"({"id":"u-top","userId":"x"})").user_id, "u-top");
  EXPECT_EQ(parse_auth_session(R"({"userId":"u-userId","sub":"x"})").user_id, "u-userId");
  EXPECT_EQ(parse_auth_session(R"({"sub":"u-sub"})").user_id, "u-sub");
  EXPECT_EQ(parse_auth_session(R"({"sub":"u-sub"})").state, State::Authenticated);
  // Empty or mistyped candidates are skipped.
  EXPECT_EQ(
      parse_auth_session(R"({"session":{"userId":""},"user":{"id":null,"userId":"u2"}})").user_id,
      "u2");
  EXPECT_EQ(parse_auth_session(R"({"user":{"id":12345}})").user_id, "12345");
}

TEST(AuthSession, FakeUpstreamShapes) {
  auto ok = parse_auth_session(
      R"({"session":{"userId":"0b1d7c1e-6a2b-4c3d-8e9f-0a1b2c3d4e5f"},"status":"authenticated"})");
  EXPECT_EQ(ok.state, State::Authenticated);
  EXPECT_EQ(ok.user_id, "0b1d7c1e-6a2b-4c3d-8e9f-0a1b2c3d4e5f");
  EXPECT_EQ(parse_auth_session(R"({"status":"unauthenticated"})").state, State::Unauthenticated);
  EXPECT_EQ(parse_auth_session(R"({"status":"blocked","error":"blocked-user"})").state,
            State::Blocked);
}

TEST(AuthSession, DeadCredentialWinsOverId) {
  auto s = parse_auth_session(R"({"status":"Unauthenticated","user":{"id":"u"}})");
  EXPECT_EQ(s.state, State::Unauthenticated);
  EXPECT_TRUE(s.user_id.empty());
  EXPECT_EQ(parse_auth_session(R"({"status":"BLOCKED"})").state, State::Blocked);
  EXPECT_EQ(parse_auth_session(R"({"error":{"code":"unauthorized:blocked-user"}})").state,
            State::Blocked);
}

TEST(AuthSession, UnknownShapes) {
  EXPECT_EQ(parse_auth_session("").state, State::Unknown);
  EXPECT_EQ(parse_auth_session("<html>Just a moment...</html>").state, State::Unknown);
  EXPECT_EQ(parse_auth_session("null").state, State::Unknown);
  EXPECT_EQ(parse_auth_session("{}").state, State::Unknown);
  EXPECT_EQ(parse_auth_session(R"({"status":"pending"})").state, State::Unknown);
  EXPECT_EQ(parse_auth_session(R"({"session":{"userId":"u")").state, State::Unknown);
  auto s = parse_auth_session(R"({"status":"authenticated"})");
  EXPECT_EQ(s.state, State::Authenticated);
  EXPECT_TRUE(s.user_id.empty());
}
