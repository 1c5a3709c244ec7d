// Admin sessions (pure parts): the cookie, its attributes, the CSRF rule, the sliding re-issue,
// and the route table.
#include "admin/routes.h"
#include "admin/session.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::admin;

namespace {
const std::string kTok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"; // 43 chars

Request with_headers(Headers h, std::string origin = "https://gw.example") {
  Request r;
  r.method = "POST";
  r.origin = std::move(origin);
  r.headers = std::move(h);
  return r;
}
} // namespace

TEST(AdminSession, CookieFoundAmongOthers) {
  auto r = with_headers({{"cookie", "a=b; g2a_session=" + kTok + "; theme=dark"}});
  EXPECT_EQ(session_cookie(r), kTok);
  auto q = with_headers({{"cookie", "g2a_session=\"" + kTok + "\""}});
  EXPECT_EQ(session_cookie(q), kTok);
  auto two = with_headers({{"cookie", "x=1"}, {"cookie", "g2a_session=" + kTok}});
  EXPECT_EQ(session_cookie(two), kTok);
}

TEST(AdminSession, CookieRejectsWrongShapes) {
  EXPECT_FALSE(session_cookie(with_headers({})));
  EXPECT_FALSE(session_cookie(with_headers({{"cookie", "g2a_session="}})));
  EXPECT_FALSE(session_cookie(with_headers({{"cookie", "g2a_session=short"}})));
  EXPECT_FALSE(session_cookie(with_headers({{"cookie", "g2a_session=" + kTok + "x"}})));
  std::string bad = kTok;
  bad[5] = '+';
  EXPECT_FALSE(session_cookie(with_headers({{"cookie", "g2a_session=" + bad}})));
  EXPECT_FALSE(session_cookie(with_headers({{"cookie", "xg2a_session=" + kTok}})));
}

TEST(AdminSession, CookieSeenEvenWhenMalformed) {
  // A cookie that names the session, well-formed or not, is seen (the 401 then clears it).
  EXPECT_TRUE(session_cookie_seen(with_headers({{"cookie", "g2a_session=" + kTok}})));
  EXPECT_TRUE(session_cookie_seen(with_headers({{"cookie", "a=b; g2a_session=short"}})));
  EXPECT_TRUE(
      session_cookie_seen(with_headers({{"cookie", "x=1"}, {"cookie", "g2a_session=" + kTok}})));
  EXPECT_FALSE(session_cookie_seen(with_headers({})));
  EXPECT_FALSE(session_cookie_seen(with_headers({{"cookie", "theme=dark"}})));
}

TEST(AdminSession, CookieAttributes) {
  std::string c = set_cookie_value(kTok, 43200);
  EXPECT_EQ(c,
            "g2a_session=" + kTok + "; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=43200");
  EXPECT_EQ(clear_cookie_value(),
            "g2a_session=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0");
}

TEST(AdminSession, CsrfNeedsTokenAndOwnOrigin) {
  const std::string csrf = "csrf-token-value";
  EXPECT_EQ(check_csrf(with_headers({{"origin", "https://gw.example"}}), csrf),
            CsrfCheck::MissingToken);
  EXPECT_EQ(
      check_csrf(with_headers({{"x-csrf-token", "nope"}, {"origin", "https://gw.example"}}), csrf),
      CsrfCheck::WrongToken);
  EXPECT_EQ(check_csrf(with_headers({{"x-csrf-token", csrf}}), csrf), CsrfCheck::WrongOrigin);
  EXPECT_EQ(
      check_csrf(with_headers({{"x-csrf-token", csrf}, {"origin", "https://evil.example"}}), csrf),
      CsrfCheck::WrongOrigin);
  EXPECT_EQ(check_csrf(with_headers({{"x-csrf-token", csrf}, {"origin", "null"}}), csrf),
            CsrfCheck::WrongOrigin);
  EXPECT_EQ(
      check_csrf(with_headers({{"x-csrf-token", csrf}, {"origin", "https://gw.example"}}), csrf),
      CsrfCheck::Ok);
  // An empty session token never matches.
  EXPECT_EQ(check_csrf(with_headers({{"x-csrf-token", "x"}, {"origin", "https://gw.example"}}), ""),
            CsrfCheck::WrongToken);
  EXPECT_STRNE(csrf_message(CsrfCheck::WrongOrigin), "");
}

TEST(AdminSession, StateChangingMethods) {
  for (auto m : {"POST", "PUT", "PATCH", "DELETE"}) EXPECT_TRUE(is_state_changing(m)) << m;
  for (auto m : {"GET", "HEAD", "OPTIONS"}) EXPECT_FALSE(is_state_changing(m)) << m;
}

TEST(AdminSession, ReissueAfterTenMinutes) {
  Session s;
  s.reissued_at = 1000000;
  EXPECT_FALSE(needs_reissue(s, 1000000 + kReissueAfterMs));
  EXPECT_TRUE(needs_reissue(s, 1000000 + kReissueAfterMs + 1));
  EXPECT_EQ(kSessionTtlMs, 12LL * 3600 * 1000);
}

TEST(AdminSession, RowsToSession) {
  json rows = json::array({json{{"token_hash", "h"},
                                {"username", "admin"},
                                {"csrf_token", "c"},
                                {"expires_at", 5},
                                {"reissued_at", 4},
                                {"must_change_password", 1}}});
  auto s = session_from_rows(rows);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->username, "admin");
  EXPECT_TRUE(s->must_change_password);
  EXPECT_FALSE(session_from_rows(json::array()));
  EXPECT_FALSE(session_from_rows(json::array({json{{"username", "admin"}}})));
  auto sel = session_select("abc", 77);
  EXPECT_NE(sel.sql.find("expires_at > ?2"), std::string::npos);
  EXPECT_NE(sel.sql.find("created_at > ?2 - ?3"), std::string::npos);
  EXPECT_EQ(sel.params, json::array({"abc", 77, kSessionMaxLifetimeMs}));
}

TEST(AdminSession, ExpirySlidesButNeverPassesSevenDaysAfterLogin) {
  const long long login = 1'000'000'000'000LL, hour = 3600000;
  EXPECT_EQ(session_expiry(login, login), login + 12 * hour);
  EXPECT_EQ(session_expiry(login, login + 100 * hour), login + 112 * hour);
  EXPECT_EQ(session_expiry(login, login + 160 * hour), login + 168 * hour); // capped at 7 days
  EXPECT_EQ(session_expiry(login, login + 200 * hour), login + 168 * hour);
  auto slide = session_slide("h", login, login + 160 * hour);
  EXPECT_EQ(slide.params[1], login + 168 * hour);
  auto prune = sessions_delete_expired(login);
  EXPECT_NE(prune.sql.find("created_at <= ?1 - ?2"), std::string::npos);
}

TEST(AdminRoutes, MatchesLiteralsPatternsAndMethods) {
  auto m = match_admin_route("GET", "/api/admin/tokens");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->run, tokens_list);
  m = match_admin_route("POST", "/api/admin/tokens/import");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->run, tokens_import);
  EXPECT_TRUE(m.params.empty());
  m = match_admin_route("GET", "/api/admin/tokens/export");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->run, tokens_export);
  m = match_admin_route("PATCH", "/api/admin/tokens/tok_0123");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->run, tokens_patch);
  EXPECT_EQ(m.params, std::vector<std::string>{"tok_0123"});
  m = match_admin_route("POST", "/api/admin/tokens/tok_9/test");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->run, tokens_test);
  EXPECT_EQ(m.params, std::vector<std::string>{"tok_9"});
  m = match_admin_route("DELETE", "/api/admin/cache/media%3Aabc");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.params, std::vector<std::string>{"media:abc"});
  m = match_admin_route("POST", "/api/admin/cache/clear");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->run, cache_clear);
  EXPECT_EQ(match_admin_route("POST", "/api/admin/login").route->access, Access::Public);
  EXPECT_EQ(match_admin_route("POST", "/api/admin/logout").route->access, Access::Optional);
  EXPECT_EQ(match_admin_route("POST", "/api/admin/password").route->access, Access::Session);
  EXPECT_EQ(match_admin_route("GET", "/api/admin/session").route->access, Access::Session);
  EXPECT_EQ(match_admin_route("GET", "/api/admin/stats").route->access, Access::Admin);
}

TEST(AdminRoutes, UnknownAndWrongMethod) {
  auto m = match_admin_route("GET", "/api/admin/nope");
  EXPECT_FALSE(m.route);
  EXPECT_EQ(m.allow, "");
  m = match_admin_route("DELETE", "/api/admin/tokens");
  EXPECT_FALSE(m.route);
  EXPECT_EQ(m.allow, "GET, POST");
  m = match_admin_route("GET", "/api/admin/tokens/import"); // literal shadows tokens/{}
  EXPECT_FALSE(m.route);
  EXPECT_EQ(m.allow, "POST");
  m = match_admin_route("GET", "/api/admin/tokens/tok_1");
  EXPECT_FALSE(m.route);
  EXPECT_EQ(m.allow, "PATCH, DELETE");
  EXPECT_FALSE(match_admin_route("GET", "/api/admin/tokens/").route);
  EXPECT_FALSE(match_admin_route("GET", "/api/admin/tokens/a/b/c").route);
  EXPECT_FALSE(match_admin_route("PUT", "/api/admin/settings/x").route);
}
