// Admin flows through the C ABI with scripted effects: login (cookie, CSRF token, throttle),
// the session gate (401), the CSRF rule (403), the forced password change (403), the sliding
// re-issue, and the token list never carrying the secret.
#include "harness.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::test;

namespace {

const std::string kCookieTok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
const long long kNow = 1700000000000LL;

struct FakeDb {
  bool user_exists = true;
  bool must_change = true;
  long long reserved = 1;          // the attempt count the throttle reservation returns
  long long locked_until = 0;      // and its locked_until
  long long fail_locked_until = 0; // what the lock after a wrong password returns
  bool session_exists = true;
  long long reissued_at = kNow - 1000; // fresh
  long long created_at = kNow - 3600000;
  json body_result; // overrides the read_body answer when set
  std::string good_hash = "GOODHASH=";
  std::vector<std::string> sqls;

  json rows_for(const std::string &sql) {
    if (sql.find("RETURNING failures") != std::string::npos)
      return json::array({json{{"failures", reserved}, {"locked_until", locked_until}}});
    if (sql.find("SET locked_until") != std::string::npos)
      return fail_locked_until ? json::array({json{{"locked_until", fail_locked_until}}})
                               : json::array();
    if (sql.find("FROM admin_users WHERE username") != std::string::npos)
      return user_exists ? json::array({json{{"username", "admin"},
                                             {"password_hash", good_hash},
                                             {"password_salt", "c2FsdHNhbHRzYWx0c2FsdA=="},
                                             {"password_iter", 100000},
                                             {"must_change_password", must_change ? 1 : 0}}})
                         : json::array();
    if (sql.find("FROM admin_sessions s JOIN") != std::string::npos)
      return session_exists ? json::array({json{{"token_hash", "hash-of-cookie"},
                                                {"username", "admin"},
                                                {"csrf_token", "the-csrf"},
                                                {"expires_at", kNow + 3600000},
                                                {"reissued_at", reissued_at},
                                                {"created_at", created_at},
                                                {"must_change_password", must_change ? 1 : 0}}})
                            : json::array();
    if (sql.find("FROM tokens ORDER BY") != std::string::npos)
      return json::array({json{{"id", "tok_1"},
                               {"sso", "SSO-SECRET-0123456789-abcdef"},
                               {"tier", "basic"},
                               {"status", "active"},
                               {"enabled", 1},
                               {"note", ""}}});
    return json::array();
  }

  json answer(const json &e, std::string &blob, const std::string &body,
              const std::string &password_b64) {
    std::string op = e["op"];
    if (op == "read_body") {
      if (!body_result.is_null()) return body_result;
      json ref = json::array({blob.size(), body.size()});
      blob += body;
      return json{{"ok", true}, {"bytes", ref}};
    }
    if (op == "crypto") {
      if (e["fn"] == "sha256") return json{{"ok", true}, {"hex", "hash-of-cookie"}, {"b64", "x"}};
      if (e["fn"] == "pbkdf2_sha256") return json{{"ok", true}, {"b64", password_b64}};
    }
    if (op == "d1") {
      json results = json::array();
      for (auto &s : e["stmts"]) {
        std::string sql = s["sql"];
        sqls.push_back(sql);
        results.push_back(json{{"rows", rows_for(sql)}, {"changes", 1}});
      }
      return json{{"ok", true}, {"results", results}};
    }
    return json{{"ok", true}};
  }
};

json meta(std::string method, std::string path, json headers = json::array()) {
  json m = base_meta(std::move(method), "https://gw.example" + path);
  m["now"] = kNow;
  m["ip"] = "203.0.113.9";
  std::string rand; // varied bytes, so that the session token and the CSRF token differ
  for (int i = 0; i < 512; ++i) {
    static const char *hex = "0123456789abcdef";
    rand += hex[(i * 7 / 16) % 16];
    rand += hex[(i * 13) % 16];
  }
  m["rand"] = rand;
  m["headers"] = std::move(headers);
  return m;
}

// harness.h's drive() resumes with meta.value("now", 0), which narrows epoch ms to int; this
// copy keeps the 64-bit clock.
Trace drive64(const json &meta, const EffectFn &answer, int max_steps = 100) {
  Trace run;
  std::string m = dump(meta);
  uint32_t id = core_open(m.data(), m.size());
  if (!id) return run;
  Record rec = decode(core_start(id));
  for (int step = 0; step < max_steps; ++step) {
    json pending;
    for (auto &op : rec.ops) {
      std::string kind = op["op"];
      if (kind == "respond") {
        run.status = op["status"];
        run.headers = op["headers"];
        run.stream = op["stream"];
      } else if (kind == "effects") {
        pending = op["list"];
      } else if (kind == "done") {
        run.done = true;
      }
    }
    run.body += rec.data;
    if (run.done || pending.is_null()) break;
    json results = json::array();
    std::string blob;
    for (auto &e : pending) {
      run.effects.push_back(e);
      results.push_back(answer(e, blob));
    }
    std::string r = dump(json{{"now", meta["now"]}, {"results", results}});
    rec = decode(core_resume(id, r.data(), r.size(), blob.data(), blob.size()));
  }
  core_close(id);
  return run;
}

Trace run(FakeDb &db, const json &m, std::string body = "", std::string pbkdf2 = "GOODHASH=") {
  return drive64(
      m, [&](const json &e, std::string &blob) { return db.answer(e, blob, body, pbkdf2); });
}

int count_effects(const Trace &t, const std::string &op, const std::string &fn = "") {
  int n = 0;
  for (auto &e : t.effects)
    if (e["op"] == op && (fn.empty() || e.value("fn", "") == fn)) ++n;
  return n;
}

bool any_sql(const FakeDb &db, const std::string &needle) {
  for (auto &s : db.sqls)
    if (s.find(needle) != std::string::npos) return true;
  return false;
}

json with_session(json extra = json::array()) {
  json h = json::array({json::array({"cookie", "g2a_session=" + kCookieTok})});
  for (auto &x : extra) h.push_back(x);
  return h;
}

} // namespace

TEST(AdminFlow, LoginSetsStrictCookieAndAnswersCsrf) {
  FakeDb db;
  Trace t =
      run(db, meta("POST", "/api/admin/login"), R"({"username":" admin ","password":"admin"})");
  ASSERT_TRUE(t.done);
  EXPECT_EQ(t.status, 200);
  json body = json::parse(t.body);
  EXPECT_EQ(body["username"], "admin");
  EXPECT_EQ(body["must_change_password"], true);
  EXPECT_EQ(body["csrf_token"].get<std::string>().size(), 43u);
  std::string cookie = header(t, "set-cookie");
  EXPECT_EQ(cookie.rfind("g2a_session=", 0), 0u);
  EXPECT_NE(cookie.find("; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=43200"),
            std::string::npos);
  EXPECT_EQ(header(t, "cache-control"), "no-store");
  // The stored value is the hash, never the cookie token itself.
  std::string token = cookie.substr(12, 43);
  for (auto &e : t.effects)
    if (e["op"] == "d1")
      for (auto &s : e["stmts"])
        if (s["sql"].get<std::string>().find("INSERT INTO admin_sessions") != std::string::npos) {
          EXPECT_EQ(s["params"][0], "hash-of-cookie");
          EXPECT_EQ(dump(s).find(token), std::string::npos);
        }
  EXPECT_TRUE(any_sql(db, "DELETE FROM login_attempts WHERE scope = 'ip'"));
  EXPECT_TRUE(any_sql(db, "INSERT INTO audit_log"));
  EXPECT_EQ(count_effects(t, "crypto", "pbkdf2_sha256"), 1);
}

TEST(AdminFlow, WrongPasswordAndUnknownUserLookTheSame) {
  FakeDb db;
  Trace wrong = run(db, meta("POST", "/api/admin/login"),
                    R"({"username":"admin","password":"nope"})", "OTHER=");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(json::parse(wrong.body)["error"]["code"], "invalid_credentials");
  EXPECT_TRUE(any_sql(db, "RETURNING failures"));
  EXPECT_TRUE(any_sql(db, "SET locked_until"));
  EXPECT_EQ(header(wrong, "set-cookie"), "");

  FakeDb nouser;
  nouser.user_exists = false;
  Trace unknown =
      run(nouser, meta("POST", "/api/admin/login"), R"({"username":"root","password":"nope"})", "");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(json::parse(unknown.body)["error"], json::parse(wrong.body)["error"]);
  // The unknown user still costs one PBKDF2 derivation (no timing shortcut).
  EXPECT_EQ(count_effects(unknown, "crypto", "pbkdf2_sha256"), 1);
}

TEST(AdminFlow, LockedSubjectIsRefusedBeforeThePasswordIsChecked) {
  FakeDb db;
  db.locked_until = kNow + 600000;
  Trace t = run(db, meta("POST", "/api/admin/login"), R"({"username":"admin","password":"admin"})");
  EXPECT_EQ(t.status, 429);
  EXPECT_EQ(json::parse(t.body)["error"]["code"], "too_many_attempts");
  EXPECT_EQ(header(t, "retry-after"), "600");
  EXPECT_EQ(count_effects(t, "crypto", "pbkdf2_sha256"), 0);
}

// Parallel attempts: each is counted before its password is checked; one counted beyond the
// limit is refused even though the attempts ahead of it have not set the lock yet.
TEST(AdminFlow, AnAttemptCountedBeyondTheLimitIsRefusedBeforeTheLockIsSet) {
  FakeDb db;
  db.reserved = 6;
  Trace t = run(db, meta("POST", "/api/admin/login"), R"({"username":"admin","password":"admin"})");
  EXPECT_EQ(t.status, 429);
  EXPECT_EQ(header(t, "retry-after"), "900");
  EXPECT_EQ(count_effects(t, "crypto", "pbkdf2_sha256"), 0);
  FakeDb fifth;
  fifth.reserved = 5; // the last allowed attempt is checked
  Trace ok =
      run(fifth, meta("POST", "/api/admin/login"), R"({"username":"admin","password":"admin"})");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(count_effects(ok, "crypto", "pbkdf2_sha256"), 1);
}

TEST(AdminFlow, TheAttemptIsCountedInTheBatchThatReadsTheUser) {
  FakeDb db;
  Trace t =
      run(db, meta("POST", "/api/admin/login"), R"({"username":"admin","password":"x"})", "BAD=");
  EXPECT_EQ(t.status, 401);
  size_t first_d1 = 0, first_pbkdf2 = 0;
  for (size_t i = 0; i < t.effects.size(); ++i) {
    if (t.effects[i]["op"] == "d1" && !first_d1) first_d1 = i + 1;
    if (t.effects[i].value("fn", "") == "pbkdf2_sha256" && !first_pbkdf2) first_pbkdf2 = i + 1;
  }
  ASSERT_GT(first_d1, 0u);
  ASSERT_GT(first_pbkdf2, first_d1);
  std::string batch = dump(t.effects[first_d1 - 1]["stmts"]);
  EXPECT_NE(batch.find("INSERT INTO login_attempts"), std::string::npos);
  EXPECT_NE(batch.find("FROM admin_users WHERE username"), std::string::npos);
}

TEST(AdminFlow, TheFailureThatLocksAnswers429) {
  FakeDb db;
  db.fail_locked_until = kNow + 900000;
  Trace t =
      run(db, meta("POST", "/api/admin/login"), R"({"username":"admin","password":"x"})", "BAD=");
  EXPECT_EQ(t.status, 429);
  EXPECT_EQ(header(t, "retry-after"), "900");
  EXPECT_TRUE(any_sql(db, "INSERT INTO audit_log"));
}

TEST(AdminFlow, LoginFromAnotherOriginIsRefused) {
  FakeDb db;
  Trace t = run(db,
                meta("POST", "/api/admin/login",
                     json::array({json::array({"origin", "https://evil.example"})})),
                R"({"username":"admin","password":"admin"})");
  EXPECT_EQ(t.status, 403);
  EXPECT_EQ(json::parse(t.body)["error"]["code"], "csrf_failed");
}

TEST(AdminFlow, NoSessionIs401) {
  FakeDb db;
  Trace t = run(db, meta("GET", "/api/admin/tokens"));
  EXPECT_EQ(t.status, 401);
  json err = json::parse(t.body)["error"];
  EXPECT_EQ(err["code"], "not_logged_in");
  EXPECT_EQ(err["type"], "authentication_error");
  EXPECT_TRUE(err.contains("param"));
  FakeDb gone;
  gone.session_exists = false;
  Trace stale = run(gone, meta("GET", "/api/admin/session", with_session()));
  EXPECT_EQ(stale.status, 401);
  EXPECT_NE(header(stale, "set-cookie").find("Max-Age=0"), std::string::npos);
}

TEST(AdminFlow, ForcedPasswordChangeBlocksEverythingElse) {
  FakeDb db;
  Trace t = run(db, meta("GET", "/api/admin/tokens", with_session()));
  EXPECT_EQ(t.status, 403);
  EXPECT_EQ(json::parse(t.body)["error"]["code"], "password_change_required");
  Trace s = run(db, meta("GET", "/api/admin/session", with_session()));
  EXPECT_EQ(s.status, 200);
  EXPECT_EQ(json::parse(s.body)["csrf_token"], "the-csrf");
  EXPECT_EQ(json::parse(s.body)["must_change_password"], true);
}

TEST(AdminFlow, WritesNeedCsrfTokenAndOrigin) {
  FakeDb db;
  db.must_change = false;
  json ok_headers = json::array(
      {json::array({"x-csrf-token", "the-csrf"}), json::array({"origin", "https://gw.example"})});
  Trace missing = run(db, meta("POST", "/api/admin/tokens", with_session()), R"({"token":"x"})");
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(json::parse(missing.body)["error"]["code"], "csrf_failed");
  Trace wrong =
      run(db,
          meta("POST", "/api/admin/tokens",
               with_session(json::array({json::array({"x-csrf-token", "nope"}),
                                         json::array({"origin", "https://gw.example"})}))),
          R"({"token":"x"})");
  EXPECT_EQ(wrong.status, 403);
  Trace origin = run(db,
                     meta("POST", "/api/admin/tokens",
                          with_session(json::array({json::array({"x-csrf-token", "the-csrf"})}))),
                     R"({"token":"x"})");
  EXPECT_EQ(origin.status, 403);
  // Passing both gets to validation (the token "x" is too short).
  Trace passes =
      run(db, meta("POST", "/api/admin/tokens", with_session(ok_headers)), R"({"token":"x"})");
  EXPECT_EQ(passes.status, 400);
  EXPECT_EQ(json::parse(passes.body)["error"]["param"], "token");
}

TEST(AdminFlow, SessionSlidesAfterTenMinutes) {
  FakeDb db;
  db.must_change = false;
  db.reissued_at = kNow - 11 * 60 * 1000;
  Trace t = run(db, meta("GET", "/api/admin/session", with_session()));
  EXPECT_EQ(t.status, 200);
  EXPECT_EQ(header(t, "set-cookie"),
            "g2a_session=" + kCookieTok +
                "; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=43200");
  EXPECT_TRUE(any_sql(db, "UPDATE admin_sessions SET expires_at"));
  FakeDb fresh;
  Trace f = run(fresh, meta("GET", "/api/admin/session", with_session()));
  EXPECT_EQ(header(f, "set-cookie"), "");
  EXPECT_FALSE(any_sql(fresh, "UPDATE admin_sessions"));
}

TEST(AdminFlow, SessionEndsSevenDaysAfterLoginHoweverItSlides) {
  FakeDb db;
  db.must_change = false;
  db.created_at = kNow - 7LL * 86400000 + 3600000; // one hour left
  db.reissued_at = kNow - 11 * 60 * 1000;
  Trace t = run(db, meta("GET", "/api/admin/session", with_session()));
  EXPECT_EQ(t.status, 200);
  // The re-issue slides only up to the absolute end: one hour, not twelve.
  EXPECT_NE(header(t, "set-cookie").find("; Max-Age=3600"), std::string::npos);
  bool filtered = false;
  for (auto &e : t.effects)
    if (e["op"] == "d1")
      for (auto &s : e["stmts"])
        if (s["sql"].get<std::string>().find("FROM admin_sessions s JOIN") != std::string::npos) {
          EXPECT_NE(s["sql"].get<std::string>().find("s.created_at > ?2 - ?3"), std::string::npos);
          EXPECT_EQ(s["params"][2], 7LL * 86400000);
          filtered = true;
        }
  EXPECT_TRUE(filtered);
}

TEST(AdminFlow, BodiesAreCappedBeforeParsingAndMustArriveInTime) {
  FakeDb db;
  Trace t = run(db, meta("POST", "/api/admin/login"), R"({"username":"admin","password":"admin"})");
  json rb;
  for (auto &e : t.effects)
    if (e["op"] == "read_body") rb = e;
  EXPECT_EQ(rb["max"], 64 * 1024);
  EXPECT_EQ(rb["timeout_ms"], 10000);
  FakeDb big;
  big.body_result = json{{"ok", false}, {"too_large", true}};
  Trace large = run(big, meta("POST", "/api/admin/login"));
  EXPECT_EQ(large.status, 413);
  EXPECT_EQ(json::parse(large.body)["error"]["code"], "request_too_large");
  EXPECT_EQ(count_effects(large, "crypto", "pbkdf2_sha256"), 0);
  FakeDb slow;
  slow.body_result = json{{"ok", false}, {"timeout", true}};
  Trace dripped = run(slow, meta("POST", "/api/admin/login"));
  EXPECT_EQ(dripped.status, 408);
  EXPECT_EQ(json::parse(dripped.body)["error"]["code"], "request_timeout");
  // The token import (behind the session and CSRF) keeps a larger cap for 10,000 cookies.
  FakeDb admin;
  admin.must_change = false;
  Trace imp = run(admin,
                  meta("POST", "/api/admin/tokens/import",
                       with_session(json::array({json::array({"x-csrf-token", "the-csrf"}),
                                                 json::array({"origin", "https://gw.example"})}))),
                  R"({"text":""})");
  json irb;
  for (auto &e : imp.effects)
    if (e["op"] == "read_body") irb = e;
  EXPECT_EQ(irb["max"], 8 * 1024 * 1024);
}

TEST(AdminFlow, TokenListNeverCarriesTheSecret) {
  FakeDb db;
  db.must_change = false;
  Trace t = run(db, meta("GET", "/api/admin/tokens", with_session()));
  EXPECT_EQ(t.status, 200);
  EXPECT_EQ(t.body.find("SSO-SECRET"), std::string::npos);
  json body = json::parse(t.body);
  EXPECT_EQ(body["data"][0]["masked"], "SSO-…cdef");
  EXPECT_EQ(body["counts"]["total"], 1);
  EXPECT_EQ(body["counts"]["active"], 1);
}

TEST(AdminFlow, UnknownPathAndWrongMethod) {
  FakeDb db;
  Trace t = run(db, meta("GET", "/api/admin/whatever"));
  EXPECT_EQ(t.status, 404);
  EXPECT_EQ(json::parse(t.body)["error"]["code"], "unknown_url");
  Trace m = run(db, meta("DELETE", "/api/admin/settings"));
  EXPECT_EQ(m.status, 405);
  EXPECT_EQ(header(m, "allow"), "GET, PUT");
}
