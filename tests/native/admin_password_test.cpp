// Admin passwords and the login throttle (pure parts).
#include "admin/login_throttle.h"
#include "admin/password.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::admin;

TEST(AdminPassword, ConstantTimeEquality) {
  EXPECT_TRUE(ct_equal("", ""));
  EXPECT_TRUE(ct_equal("abc", "abc"));
  EXPECT_FALSE(ct_equal("abc", "abd"));
  EXPECT_FALSE(ct_equal("abc", "ab"));
  EXPECT_FALSE(ct_equal("ab", "abc"));
  EXPECT_FALSE(ct_equal("", "a"));
  EXPECT_FALSE(ct_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(AdminPassword, Policy) {
  EXPECT_TRUE(password_policy_error("admin", "short"));
  EXPECT_TRUE(password_policy_error("admin", "123456789")); // 9
  EXPECT_FALSE(password_policy_error("admin", "1234567890"));
  EXPECT_TRUE(password_policy_error("administrator", "Administrator"));
  EXPECT_TRUE(password_policy_error("someone", "ADMIN"));
  EXPECT_TRUE(password_policy_error("admin", "new\npassword!"));
  EXPECT_TRUE(password_policy_error("admin", std::string(257, 'x')));
  // Length counts characters, not bytes.
  EXPECT_TRUE(password_policy_error("admin", "ééééééééé"));   // 9 characters, 18 bytes
  EXPECT_FALSE(password_policy_error("admin", "éééééééééé")); // 10
  auto msg = password_policy_error("admin", "short");
  EXPECT_NE(msg->find("10"), std::string::npos);
}

TEST(AdminThrottle, Subjects) {
  auto s = throttle_subjects("", "  Admin ");
  EXPECT_EQ(s.ip, "unknown");
  EXPECT_EQ(s.user, "admin");
  s = throttle_subjects("203.0.113.9", std::string(300, 'A'));
  EXPECT_EQ(s.ip, "203.0.113.9");
  EXPECT_EQ(s.user.size(), 100u);
}

TEST(AdminThrottle, ReservationDecisions) {
  long long now = 1'000'000'000;
  ThrottlePolicy p;
  auto result = [](json ip, json user) {
    return json{{"ok", true},
                {"results", json::array({json{{"rows", json::array({ip})}},
                                         json{{"rows", json::array({user})}}})}};
  };
  // The reader takes the batch's typed view, which points into the result JSON.
  auto reserve = [&](const json &res) {
    return reservation_from(fx::D1Result::of(res), 0, p, now);
  };
  json free_row{{"failures", 1}, {"locked_until", 0}};
  Reservation r = reserve(result(free_row, free_row));
  EXPECT_TRUE(r.allowed);
  // The fifth attempt is still checked.
  r = reserve(result(json{{"failures", 5}, {"locked_until", 0}}, free_row));
  EXPECT_TRUE(r.allowed);
  // A sixth counted attempt is refused although no lock is set yet (the others are in flight).
  r = reserve(result(free_row, json{{"failures", 6}, {"locked_until", 0}}));
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(r.retry_ms, p.lock_ms);
  // An active lock refuses whatever the count.
  r = reserve(result(json{{"failures", 1}, {"locked_until", now + 5000}}, free_row));
  EXPECT_FALSE(r.allowed);
  EXPECT_EQ(r.retry_ms, 5000);
  // A lock that has ended does not.
  r = reserve(result(json{{"failures", 1}, {"locked_until", now - 1}}, free_row));
  EXPECT_TRUE(r.allowed);
  // No row back (the count failed): the password is not checked.
  json empty{
      {"ok", true},
      {"results", json::array({json{{"rows", json::array()}}, json{{"rows", json::array()}}})}};
  EXPECT_FALSE(reserve(empty).allowed);
  EXPECT_EQ(retry_after_s(1), 1);
  EXPECT_EQ(retry_after_s(1000), 1);
  EXPECT_EQ(retry_after_s(1001), 2);
  EXPECT_EQ(retry_after_s(900000), 900);
  json locked{
      {"ok", true},
      {"results", json::array({json{{"rows", json::array({json{{"locked_until", now + 900000}}})}},
                               json{{"rows", json::array()}}})}};
  EXPECT_EQ(lock_after_fail(fx::D1Result::of(locked), 0, now), 900000);
  EXPECT_EQ(lock_after_fail(fx::D1Result::of(empty), 0, now), 0);
}

TEST(AdminThrottle, Statements) {
  ThrottlePolicy p;
  auto s = throttle_subjects("1.2.3.4", "admin");
  auto f = throttle_reserve(s, p, 42);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].params, json::array({"ip", "1.2.3.4", 42, 900000}));
  EXPECT_EQ(f[1].params, json::array({"user", "admin", 42, 900000}));
  EXPECT_NE(f[0].sql.find("RETURNING failures, locked_until"), std::string::npos);
  auto l = throttle_lock(s, p, 42);
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].params, json::array({"ip", "1.2.3.4", 42, 5, 900000}));
  EXPECT_NE(l[1].sql.find("failures >= ?4"), std::string::npos);
  auto c = throttle_clear(s);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].params, json::array({"1.2.3.4"}));
  EXPECT_EQ(c[1].params, json::array({"admin"}));
}
