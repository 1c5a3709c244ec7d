// Admin views and validation (pure): tokens, keys, settings, logs, paging, stats.
#include "admin/keys_view.h"
#include "admin/logs_query.h"
#include "admin/paging.h"
#include "admin/settings_view.h"
#include "admin/stats_query.h"
#include "admin/tokens_view.h"
#include "core/time.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::admin;

namespace {
const std::string kSso = "eyJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoiYWJjIn0.SECRETSIGNATURE";

json token_row(json extra = json::object()) {
  json t{{"id", "tok_1"},
         {"sso", kSso},
         {"tier", "super"},
         {"status", "active"},
         {"status_reason", nullptr},
         {"enabled", 1},
         {"note", "n"},
         {"created_at", 10},
         {"last_used_at", 20},
         {"last_success_at", 20},
         {"failures", 3},
         {"consecutive_failures", 1},
         {"cooldown_until", 0},
         {"inflight", 2},
         {"inflight_at", 1000}};
  for (auto it = extra.begin(); it != extra.end(); ++it) t[it.key()] = *it;
  return t;
}

Request query(std::string q) {
  Request r;
  r.query = std::move(q);
  return r;
}
} // namespace

TEST(AdminTokensView, MasksTheSecretAndShapesBuckets) {
  json buckets = json::array({json{{"token_id", "tok_1"},
                                   {"bucket", "fast"},
                                   {"remaining", 10},
                                   {"total", 20},
                                   {"window_s", nullptr},
                                   {"refreshed_at", 5},
                                   {"cooling_until", 0},
                                   {"cooling_reason", nullptr}}});
  json t = token_json(token_row(), buckets, 2000);
  std::string text = dump(t);
  EXPECT_EQ(text.find("SECRETSIGNATURE"), std::string::npos);
  EXPECT_EQ(text.find(kSso), std::string::npos);
  EXPECT_EQ(t["masked"], "eyJh…TURE");
  EXPECT_EQ(t["enabled"], true);
  EXPECT_EQ(t["inflight"], 2);
  EXPECT_EQ(t["state"], "active");
  EXPECT_EQ(t["buckets"][0]["remaining"], 10);
  EXPECT_TRUE(t["buckets"][0]["window_s"].is_null());
  for (auto k : {"id", "tier", "status", "status_reason", "enabled", "note", "masked", "created_at",
                 "last_used_at", "last_success_at", "failures", "consecutive_failures",
                 "cooldown_until", "inflight", "buckets"})
    EXPECT_TRUE(t.contains(k)) << k;
  // A stale in-flight mark counts as zero.
  EXPECT_EQ(token_json(token_row(), json::array(), 1000 + 11 * 60 * 1000)["inflight"], 0);
}

TEST(AdminTokensView, StatesAreExclusive) {
  long long now = 100000;
  EXPECT_EQ(token_state(token_row({{"enabled", 0}, {"status", "invalid"}}), json::array(), now),
            "disabled");
  EXPECT_EQ(token_state(token_row({{"status", "invalid"}}), json::array(), now), "invalid");
  EXPECT_EQ(token_state(token_row({{"cooldown_until", now + 1}}), json::array(), now), "cooling");
  EXPECT_EQ(token_state(token_row(), json::array({json{{"cooling_until", now + 1}}}), now),
            "cooling");
  EXPECT_EQ(token_state(token_row(), json::array({json{{"cooling_until", now}}}), now), "active");
  auto c = pool_counts_from_rows(
      json::array({json{{"total", 10}, {"disabled", 1}, {"invalid", 2}, {"cooling", 3}}}));
  EXPECT_EQ(c.active, 4);
  EXPECT_EQ(c.to_json(),
            (json{{"total", 10}, {"active", 4}, {"invalid", 2}, {"disabled", 1}, {"cooling", 3}}));
}

TEST(AdminTokensView, TierAndNote) {
  // "tier/source", or "error:<param>".
  auto choice = [](const json &v) {
    auto t = check_tier(v);
    return t.ok() ? t.value().tier + "/" + t.value().source : "error:" + t.error().param;
  };
  EXPECT_EQ(choice("super"), "super/admin");
  EXPECT_EQ(choice("ssoSuper"), "super/admin");
  // "auto": Basic until a quota refresh detects the tier (grok/tier_table.h).
  EXPECT_EQ(choice("auto"), "basic/auto");
  EXPECT_EQ(choice("gold"), "error:tier");
  EXPECT_EQ(choice(3), "error:tier");
  auto note = check_note("<img src=x onerror=alert(1)>");
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(note.value(), "<img src=x onerror=alert(1)>"); // stored as is, escaped on output
  EXPECT_FALSE(check_note(std::string(501, 'x')).ok());
  EXPECT_FALSE(check_note("a\nb").ok());
  EXPECT_FALSE(check_note(nullptr).ok());
}

TEST(AdminKeysView, KeyShapeAndHint) {
  std::string key = make_api_key(std::string(24, '\xff'));
  EXPECT_EQ(key.rfind("sk-g2a-", 0), 0u);
  EXPECT_EQ(key.size(), 7u + 32u);
  EXPECT_EQ(key.find('='), std::string::npos);
  EXPECT_EQ(key_hint("sk-g2a-AbCdEFGHIJKLMNOPQRSTUVWXwXyZ"), "sk-g2a-AbCd…wXyZ");
  EXPECT_EQ(key_hint("sk-g2a-short"), "sk-g2a-…");
}

TEST(AdminKeysView, Validation) {
  auto name = check_key_name("  team a ");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name.value(), "team a");
  EXPECT_FALSE(check_key_name("").ok());
  EXPECT_FALSE(check_key_name("   ").ok());
  EXPECT_FALSE(check_key_name(std::string(101, 'x')).ok());
  EXPECT_TRUE(check_key_name(std::string(100, 'x')).ok());
  EXPECT_FALSE(check_key_name(5).ok());
  EXPECT_EQ(check_key_name(nullptr).error().param, "name");

  auto l = check_limits(json{{"chat", 100}, {"video", -1}});
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l.value().chat, 100);
  EXPECT_EQ(l.value().heavy, -1);
  // The kinds sent replace those of the base; the others keep theirs.
  auto patched = check_limits(json{{"heavy", 7}}, KeyLimits{1, 2, 3, 4});
  ASSERT_TRUE(patched.ok());
  EXPECT_EQ(patched.value().chat, 1);
  EXPECT_EQ(patched.value().heavy, 7);
  EXPECT_EQ(patched.value().video, 4);
  auto e = check_limits(json{{"chat", -2}});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().param, "limits.chat");
  EXPECT_EQ(check_limits(json{{"image", 1.5}}).error().param, "limits.image");
  EXPECT_EQ(check_limits(json{{"audio", 1}}).error().code, "unknown_field");
  EXPECT_FALSE(check_limits(json::array()).ok());

  auto models = check_allowed_models(json::array({"grok-4", "grok-4", "grok-chat-fast"}));
  ASSERT_TRUE(models.ok());
  EXPECT_EQ(models.value(), (std::vector<std::string>{"grok-4", "grok-chat-fast"}));
  auto me = check_allowed_models(json::array({"gpt-4o"}));
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.error().param, "allowed_models");
  EXPECT_NE(me.error().message.find("gpt-4o"), std::string::npos);
  EXPECT_FALSE(check_allowed_models("grok-4").ok());
  auto all = check_allowed_models(nullptr);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all.value().empty());

  auto never = check_expires_at(nullptr, 100);
  ASSERT_TRUE(never.ok());
  EXPECT_EQ(never.value(), 0);
  EXPECT_TRUE(check_expires_at(0, 100).ok());
  auto later = check_expires_at(101, 100);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later.value(), 101);
  EXPECT_FALSE(check_expires_at(100, 100).ok());
  EXPECT_FALSE(check_expires_at("2030-01-01", 100).ok());
}

TEST(AdminKeysView, RowJson) {
  json r{{"id", "key_1"},     {"name", "n"},          {"key_hint", "sk-g2a-AbCd…wXyZ"},
         {"enabled", 1},      {"chat_limit", 5},      {"heavy_limit", -1},
         {"image_limit", -1}, {"video_limit", 0},     {"allowed_models", "[\"grok-4\"]"},
         {"expires_at", 0},   {"created_at", 1},      {"last_used_at", 2},
         {"chat_used", 3},    {"heavy_used", nullptr}};
  json k = key_json(r);
  EXPECT_EQ(k["hint"], "sk-g2a-AbCd…wXyZ");
  EXPECT_EQ(k["limits"]["chat"], 5);
  EXPECT_EQ(k["limits"]["video"], 0);
  EXPECT_EQ(k["allowed_models"], json::array({"grok-4"}));
  EXPECT_TRUE(k["expires_at"].is_null());
  EXPECT_EQ(k["usage_today"]["chat"], 3);
  EXPECT_EQ(k["usage_today"]["heavy"], 0);
  EXPECT_FALSE(k.contains("key_hash"));
}

TEST(AdminSettingsView, SecretsAreWriteOnly) {
  json rows =
      json::array({json{{"key", "cf_clearance"}, {"value", "\"clearance-secret-value-1234\""}},
                   json{{"key", "max_retries"}, {"value", "5"}},
                   json{{"key", "statsig_manual"}, {"value", "\"\""}}});
  json data = settings_view(rows);
  std::string text = dump(data);
  EXPECT_EQ(text.find("clearance-secret-value"), std::string::npos);
  bool seen_cf = false, seen_retries = false, seen_manual = false, seen_mode = false;
  for (const auto &s : data) {
    if (s["key"] == "cf_clearance") {
      seen_cf = true;
      EXPECT_TRUE(s["value"].is_null());
      EXPECT_EQ(s["set"], true);
      EXPECT_EQ(s["masked"], "••••1234");
      EXPECT_EQ(s["secret"], true);
    }
    if (s["key"] == "statsig_manual") {
      seen_manual = true;
      EXPECT_EQ(s["set"], false);
      EXPECT_EQ(s["masked"], "");
    }
    if (s["key"] == "max_retries") {
      seen_retries = true;
      EXPECT_EQ(s["value"], 5);
      EXPECT_EQ(s["default"], 3);
      EXPECT_EQ(s["set"], true);
      EXPECT_EQ(s["min"], 1);
      EXPECT_EQ(s["max"], 10);
      EXPECT_EQ(s["type"], "int");
    }
    if (s["key"] == "statsig_mode") {
      seen_mode = true;
      EXPECT_EQ(s["choices"], json::array({"local", "manual"}));
      EXPECT_EQ(s["set"], false);
      EXPECT_EQ(s["type"], "enum");
    }
    for (auto k : {"key", "type", "value", "set", "masked", "default", "description", "choices",
                   "min", "max", "secret"})
      EXPECT_TRUE(s.contains(k)) << k;
  }
  EXPECT_TRUE(seen_cf && seen_retries && seen_manual && seen_mode);
  EXPECT_EQ(data.size(), app::setting_specs().size());
  EXPECT_EQ(mask_secret("short"), "••••");
  EXPECT_EQ(mask_secret(""), "");
}

TEST(AdminSettingsView, UpdateValidatesEveryField) {
  auto up = settings_update(
      json{{"values", {{"max_retries", 4}, {"cf_clearance", ""}, {"user_agent", nullptr}}}}, 9);
  ASSERT_TRUE(up.ok());
  auto &u = up.value();
  ASSERT_EQ(u.stmts.size(), 3u);
  EXPECT_NE(u.stmts[0].sql.find("INSERT INTO settings"), std::string::npos);
  EXPECT_EQ(u.stmts[0].params, json::array({"max_retries", "4", 9}));
  EXPECT_NE(u.stmts[1].sql.find("DELETE FROM settings"), std::string::npos);
  EXPECT_EQ(u.cleared, json::array({"cf_clearance", "user_agent"}));

  auto bad =
      settings_update(json{{"values", {{"max_retries", 4}, {"first_byte_timeout_s", 0}}}}, 9);
  ASSERT_FALSE(bad.ok());
  auto &e = bad.error();
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.param, "first_byte_timeout_s");
  EXPECT_NE(e.message.find("first_byte_timeout_s"), std::string::npos);

  auto unknown = settings_update(json{{"values", {{"admin_password", "x"}}}}, 9);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().param, "admin_password");
  EXPECT_EQ(unknown.error().code, "unknown_setting");
  EXPECT_FALSE(settings_update(json::object(), 9).ok());
  EXPECT_FALSE(settings_update(json{{"values", json::object()}}, 9).ok());
  // A non-secret "" is a value like any other (validated), not a reset.
  auto empty = settings_update(json{{"values", {{"grok_base_url", ""}}}}, 9);
  ASSERT_TRUE(empty.ok());
  EXPECT_NE(empty.value().stmts[0].sql.find("INSERT"), std::string::npos);
  auto enum_bad = settings_update(json{{"values", {{"chat_transport", "carrier-pigeon"}}}}, 9);
  EXPECT_EQ(enum_bad.error().param, "chat_transport");
}

TEST(AdminLogsQuery, FiltersBuildParameterisedSql) {
  auto f = log_filter(query("status=4xx&model=grok-4&key=team%20a&before=1700&limit=500"));
  ASSERT_TRUE(f.ok());
  auto lf = f.value();
  EXPECT_EQ(lf.limit, 200);
  auto st = logs_select(lf);
  EXPECT_NE(st.sql.find("ts < ?1"), std::string::npos);
  EXPECT_NE(st.sql.find("status BETWEEN ?2 AND ?3"), std::string::npos);
  EXPECT_NE(st.sql.find("model = ?4"), std::string::npos);
  EXPECT_NE(st.sql.find("name = ?5"), std::string::npos);
  EXPECT_NE(st.sql.find("LIMIT 201"), std::string::npos);
  EXPECT_EQ(st.params, json::array({1700, 400, 499, "grok-4", "team a"}));
  EXPECT_EQ(st.sql.find("team a"), std::string::npos); // never inlined

  auto exact = logs_select(log_filter(query("status=429")).value());
  EXPECT_NE(exact.sql.find("status = ?1"), std::string::npos);
  EXPECT_EQ(exact.params, json::array({429}));
  EXPECT_NE(exact.sql.find("LIMIT 51"), std::string::npos);
  auto err = logs_select(log_filter(query("status=error")).value());
  EXPECT_NE(err.sql.find("status >= 400"), std::string::npos);
  for (auto bad : {"status=abc", "status=99", "status=6xx", "status=4x", "before=-1", "before=x",
                   "limit=ten"}) {
    auto r = log_filter(query(bad));
    EXPECT_FALSE(r.ok()) << bad;
  }
  EXPECT_EQ(log_filter(query("status=abc")).error().param, "status");
  EXPECT_EQ(log_filter(query("limit=0")).value().limit, 1);
}

TEST(AdminPaging, CursorNeitherSkipsNorRepeats) {
  auto rows = [](std::vector<long long> ts) {
    json a = json::array();
    for (auto t : ts) a.push_back(json{{"ts", t}});
    return a;
  };
  json r = rows({9, 8, 7});
  EXPECT_TRUE(paginate(r, 3).is_null());
  EXPECT_EQ(r.size(), 3u);
  r = rows({9, 8, 7, 6});
  EXPECT_EQ(paginate(r, 3), 7);
  EXPECT_EQ(r.size(), 3u);
  // The 4th row shares ts 7 with the 3rd: the 3rd moves to the next page (before = 8).
  r = rows({9, 8, 7, 7});
  EXPECT_EQ(paginate(r, 3), 8);
  EXPECT_EQ(r.size(), 2u);
  r = rows({9, 7, 7, 7});
  EXPECT_EQ(paginate(r, 3), 8);
  EXPECT_EQ(r.size(), 1u);
  r = rows({7, 7, 7, 7});
  EXPECT_EQ(paginate(r, 3), 7); // a whole page in one millisecond: cannot do better
  EXPECT_EQ(r.size(), 3u);
}

TEST(AdminStats, WindowAndShape) {
  long long now = 1767225600000LL + 5 * 3600000LL + 123; // 2026-01-01 05:00 UTC
  StatsWindow w = stats_window(now, 480);
  EXPECT_EQ(w.hour_from, 1767225600000LL + 5 * 3600000LL - 23 * 3600000LL);
  EXPECT_EQ(w.day_from, local_midnight_ms(now, 480) - 13 * 86400000LL);
  auto stmts = stats_stmts(w);
  ASSERT_EQ(stmts.size(), 10u);
  EXPECT_NE(stmts[6].sql.find("FROM refused_requests WHERE day >= ?1"), std::string::npos);
  EXPECT_NE(stmts[7].sql.find("FROM videos GROUP BY status"), std::string::npos);
  EXPECT_NE(stmts[8].sql.find("statsig_source IS NOT NULL GROUP BY d"), std::string::npos);
  EXPECT_NE(stmts[9].sql.find("quality IS NOT NULL GROUP BY d"), std::string::npos);
  EXPECT_EQ(stmts[8].params, json::array({w.day_from, w.offset_ms}));
  EXPECT_EQ(stmts[6].params, json::array({local_day(w.day_from, 480)}));
  for (int i = 0; i < 4; ++i)
    EXPECT_NE(stmts[i].sql.find("INDEXED BY idx_request_logs_stats"), std::string::npos) << i;
  EXPECT_NE(stmts[2].sql.find("LIMIT 1 OFFSET (SELECT (COUNT(*) - 1) * 95 / 100"),
            std::string::npos);

  long long h_now = now / 3600000;
  long long d_today = (now + 480 * 60000) / 86400000;
  json res{
      {"ok", true},
      {"results",
       json::array(
           {json{{"rows", json::array({json{{"h", h_now}, {"total", 10}, {"success", 7}},
                                       json{{"h", h_now - 23}, {"total", 2}, {"success", 2}},
                                       json{{"h", h_now - 24}, {"total", 99}, {"success", 0}}})}},
            json{{"rows", json::array({json{{"d", d_today}, {"total", 12}, {"success", 9}}})}},
            json{{"rows", json::array({json{{"p50", 120}, {"p95", nullptr}}})}},
            json{{"rows", json::array({json{{"model", "grok-4"}, {"count", 8}}})}},
            json{{"rows",
                  json::array(
                      {json{{"total", 3}, {"disabled", 1}, {"invalid", 0}, {"cooling", 1}}})}},
            json{{"rows", json::array({json{{"total", 2}, {"enabled", 1}}})}},
            json{{"rows", json::array({json{{"day", local_day(now, 480)},
                                            {"status", 401},
                                            {"code", "invalid_api_key"},
                                            {"count", 7}},
                                       json{{"day", local_day(now, 480)},
                                            {"status", 404},
                                            {"code", "unknown_url"},
                                            {"count", 2}},
                                       json{{"day", local_day(now - 86400000LL, 480)},
                                            {"status", 401},
                                            {"code", "invalid_api_key"},
                                            {"count", 5}}})}},
            json{{"rows", json::array({json{{"status", "completed"}, {"count", 4}},
                                       json{{"status", "in_progress"}, {"count", 1}},
                                       json{{"status", "failed"}, {"count", 2}}})}},
            json{{"rows",
                  json::array({json{{"d", d_today}, {"source", "local"}, {"count", 4}},
                               json{{"d", d_today}, {"source", "failed"}, {"count", 1}},
                               json{{"d", d_today - 1}, {"source", "local"}, {"count", 2}},
                               json{{"d", d_today - 20}, {"source", "local"}, {"count", 9}}})}},
            json{{"rows",
                  json::array({json{{"d", d_today}, {"source", "loop:cut"}, {"count", 3}}})}}})}};
  json s = stats_json(fx::D1Result::of(res), w);
  // Video jobs by status.
  EXPECT_EQ(
      s["videos"],
      (json{{"total", 7}, {"queued", 0}, {"in_progress", 1}, {"completed", 4}, {"failed", 2}}));
  // The statsig chain's steps and the quality guard's findings, per day and over 14 days (a
  // row outside the window is not counted).
  EXPECT_EQ(s["daily"][13]["statsig"], (json{{"local", 4}, {"failed", 1}}));
  EXPECT_EQ(s["daily"][12]["statsig"], (json{{"local", 2}}));
  EXPECT_EQ(s["statsig"], (json{{"local", 6}, {"failed", 1}}));
  EXPECT_EQ(s["daily"][13]["quality"], (json{{"loop:cut", 3}}));
  EXPECT_EQ(s["quality"], (json{{"loop:cut", 3}}));
  EXPECT_EQ(s["daily"][0]["quality"], json::object());
  // Refused before a valid key was known: per day, and per status and code over 14 days.
  EXPECT_EQ(s["refused"]["today"], 9);
  EXPECT_EQ(s["refused"]["days_14"], 14);
  EXPECT_EQ(s["refused"]["by_code"][0],
            (json{{"status", 401}, {"code", "invalid_api_key"}, {"count", 12}}));
  EXPECT_EQ(s["daily"][13]["refused"], 9);
  EXPECT_EQ(s["daily"][12]["refused"], 5);
  ASSERT_EQ(s["hourly"].size(), 24u);
  EXPECT_EQ(s["hourly"][23]["total"], 10);
  EXPECT_EQ(s["hourly"][23]["failed"], 3);
  EXPECT_EQ(s["hourly"][0]["total"], 2);
  EXPECT_EQ(s["hourly"][0]["ts"], w.hour_from);
  ASSERT_EQ(s["daily"].size(), 14u);
  EXPECT_EQ(s["daily"][13]["day"], local_day(now, 480));
  EXPECT_EQ(s["daily"][13]["total"], 12);
  EXPECT_EQ(s["daily"][0]["total"], 0);
  EXPECT_DOUBLE_EQ(s["success_rate"].get<double>(), 9.0 / 12.0);
  EXPECT_EQ(s["ttfb_ms"]["p50"], 120);
  EXPECT_TRUE(s["ttfb_ms"]["p95"].is_null());
  EXPECT_EQ(s["models"][0]["model"], "grok-4");
  EXPECT_EQ(s["tokens"]["active"], 1);
  EXPECT_EQ(s["keys"]["enabled"], 1);
  json empty{{"ok", true}, {"results", json::array()}};
  EXPECT_TRUE(stats_json(fx::D1Result::of(empty), w)["success_rate"].is_null());
}
