// Requests refused before a stored key is known cost no request_logs row and, with the shim's
// tally effect, no D1 write: they are counted per isolate and written in aggregate
// (app/refused_requests.h). Requests whose key is a stored one keep their one log row, also
// when they are refused before the key check; every stored text of that row is bounded.
#include "app/refused_requests.h"
#include "app/request_log.h"
#include "core/time.h"
#include "harness.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::test;

namespace {

// A scripted shim: `tally` answers the tally effect; the key lookup finds `stored` keys.
struct Shim {
  json tally = json{{"ok", true}};
  bool key_is_stored = false;
  std::string body;
  std::vector<json> tallies;
  std::vector<json> d1_batches;

  json operator()(const json &e, std::string &blob) {
    std::string op = str_or(e, "op");
    if (op == "tally") {
      tallies.push_back(e);
      return tally;
    }
    if (op == "read_body") {
      json ref = json::array({blob.size(), body.size()});
      blob += body;
      return json{{"ok", true}, {"bytes", ref}};
    }
    if (op == "crypto") return json{{"ok", true}, {"hex", std::string(64, 'b')}};
    if (op == "random") {
      long long n = int_or(e, "n", 1);
      json ref = json::array({blob.size(), n});
      blob += std::string(static_cast<size_t>(n), '\x05');
      return json{{"ok", true}, {"bytes", ref}};
    }
    if (op == "d1") {
      d1_batches.push_back(e["stmts"]);
      json results = json::array();
      for (const auto &s : e["stmts"]) {
        std::string sql = str_or(s, "sql");
        json rows = json::array();
        if (key_is_stored && sql.find("FROM api_keys WHERE key_hash") != std::string::npos)
          rows.push_back({{"id", "key_s"},
                          {"name", "stored"},
                          {"enabled", 1},
                          {"chat_limit", -1},
                          {"heavy_limit", -1},
                          {"image_limit", -1},
                          {"video_limit", -1},
                          {"allowed_models", "[]"},
                          {"expires_at", 0}});
        results.push_back({{"rows", rows}, {"changes", 1}});
      }
      return json{{"ok", true}, {"results", results}};
    }
    return json{{"ok", true}};
  }

  int sql_count(const std::string &needle) const {
    int n = 0;
    for (const auto &b : d1_batches)
      for (const auto &s : b)
        if (str_or(s, "sql").find(needle) != std::string::npos) ++n;
    return n;
  }
  const json *log_params() const {
    for (const auto &b : d1_batches)
      for (const auto &s : b)
        if (str_or(s, "sql").rfind("INSERT INTO request_logs", 0) == 0) return &s["params"];
    return nullptr;
  }
};

json chat_meta(const std::string &authorization) {
  json m = base_meta("POST", "https://gw.test/v1/chat/completions");
  m["headers"] = json::array({json::array({"content-type", "application/json"})});
  if (!authorization.empty()) m["headers"].push_back(json::array({"authorization", authorization}));
  return m;
}

const long long kNow = 1700000000000LL;
std::string today() {
  return local_day(kNow, 480);
}

} // namespace

TEST(RefusedRequests, NoKeyIs401BeforeTheBodyIsReadAndCostsNoD1Write) {
  Shim shim;
  shim.body = R"({"model":"grok-4","messages":[{"role":"user","content":"hi"}]})";
  Trace t = drive(chat_meta(""), std::ref(shim));
  ASSERT_TRUE(t.done);
  EXPECT_EQ(t.status, 401);
  EXPECT_EQ(json::parse(t.body)["error"]["code"], "invalid_api_key");
  for (const auto &e : t.effects) {
    EXPECT_NE(str_or(e, "op"), "read_body"); // the body is never read
    EXPECT_NE(str_or(e, "op"), "d1");        // and nothing is written
  }
  ASSERT_EQ(shim.tallies.size(), 1u);
  EXPECT_EQ(shim.tallies[0]["add"], (json{{"refused|" + today() + "|401|invalid_api_key", 1}}));
  EXPECT_EQ(shim.tallies[0]["take_at_count"], app::kTallyTakeAtCount);
  EXPECT_EQ(shim.tallies[0]["take_after_ms"], app::kTallyTakeAfterMs);
}

TEST(RefusedRequests, AnUnknownKeyIsCountedNotLogged) {
  Shim shim;
  shim.body = R"({"model":"grok-4","messages":[{"role":"user","content":"hi"}]})";
  Trace t = drive(chat_meta("Bearer sk-unknown"), std::ref(shim));
  EXPECT_EQ(t.status, 401);
  EXPECT_EQ(shim.sql_count("INSERT INTO request_logs"), 0);
  EXPECT_EQ(shim.sql_count("refused_requests"), 0); // the tally is not due yet
  ASSERT_EQ(shim.tallies.size(), 1u);
  EXPECT_TRUE(shim.tallies[0]["add"].contains("refused|" + today() + "|401|invalid_api_key"));
}

TEST(RefusedRequests, ADueTallyIsWrittenAsOneUpsertPerCounterInOneBatch) {
  Shim shim;
  std::string a = "refused|" + today() + "|401|invalid_api_key";
  std::string b = "refused|" + today() + "|404|unknown_url";
  shim.tally =
      json{{"ok", true}, {"taken", {{a, 120}, {b, 3}, {"other|job", 9}, {"refused|x|1|y", 4}}}};
  Trace t = drive(chat_meta(""), std::ref(shim));
  EXPECT_EQ(t.status, 401);
  ASSERT_EQ(shim.d1_batches.size(), 1u);
  const json &batch = shim.d1_batches[0];
  ASSERT_EQ(batch.size(), 2u); // foreign and malformed names are ignored
  EXPECT_NE(str_or(batch[0], "sql").find("INSERT INTO refused_requests"), std::string::npos);
  EXPECT_NE(str_or(batch[0], "sql").find("count = count + excluded.count"), std::string::npos);
  EXPECT_EQ(batch[0]["params"][0], today());
  EXPECT_EQ(batch[0]["params"][1], 401);
  EXPECT_EQ(batch[0]["params"][2], "invalid_api_key");
  EXPECT_EQ(batch[0]["params"][3], 120);
  EXPECT_EQ(batch[1]["params"][3], 3);
}

TEST(RefusedRequests, AShimWithoutTheTallyEffectWritesTheCountDirectly) {
  Shim shim;
  shim.tally = json{{"ok", false}, {"error", "unknown effect tally"}};
  Trace t = drive(chat_meta(""), std::ref(shim));
  EXPECT_EQ(t.status, 401);
  ASSERT_EQ(shim.d1_batches.size(), 1u);
  ASSERT_EQ(shim.d1_batches[0].size(), 1u);
  EXPECT_EQ(shim.d1_batches[0][0]["params"][3], 1);
  EXPECT_EQ(shim.sql_count("INSERT INTO request_logs"), 0);
}

TEST(RefusedRequests, ARefusalBeforeTheKeyCheckWithAStoredKeyKeepsItsLogRow) {
  Shim shim;
  shim.key_is_stored = true;
  shim.body = R"({"model": )"; // malformed: refused before the key is checked
  Trace t = drive(chat_meta("Bearer sk-stored"), std::ref(shim));
  EXPECT_EQ(t.status, 400);
  const json *p = shim.log_params();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ((*p)[5], "key_s");
  EXPECT_EQ((*p)[8], "invalid_json");
  EXPECT_TRUE(shim.tallies.empty());
  // The same with an unknown key: counted, not logged.
  Shim unknown;
  unknown.body = shim.body;
  Trace u = drive(chat_meta("Bearer sk-unknown"), std::ref(unknown));
  EXPECT_EQ(u.status, 400);
  EXPECT_EQ(unknown.log_params(), nullptr);
  ASSERT_EQ(unknown.tallies.size(), 1u);
  EXPECT_TRUE(unknown.tallies[0]["add"].contains("refused|" + today() + "|400|invalid_json"));
}

TEST(RefusedRequests, TheCronTakesTheWholeTally) {
  Shim shim;
  std::string a = "refused|" + today() + "|401|invalid_api_key";
  shim.tally = json{{"ok", true}, {"taken", {{a, 7}}}};
  json meta = base_meta("GET", "");
  meta["kind"] = "scheduled";
  meta["cron"] = "0 * * * *";
  Trace t = drive(meta, std::ref(shim));
  ASSERT_TRUE(t.done);
  ASSERT_EQ(shim.tallies.size(), 1u);
  EXPECT_EQ(shim.tallies[0]["add"], json::object());
  EXPECT_EQ(shim.tallies[0]["take_at_count"], 0);
  EXPECT_EQ(shim.sql_count("INSERT INTO refused_requests"), 1);
  EXPECT_EQ(shim.sql_count("DELETE FROM refused_requests WHERE day < ?1"), 1);
}

TEST(RefusedRequests, CounterNamesRoundTripAndOnlyTheirOwnShapeIsAccepted) {
  using app::parse_refused_key;
  using app::refused_key;
  app::RefusedKey k{"2026-11-27", 401, "invalid_api_key"};
  EXPECT_EQ(refused_key(k), "refused|2026-11-27|401|invalid_api_key");
  auto back = parse_refused_key(refused_key(k));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->day, k.day);
  EXPECT_EQ(back->status, 401);
  EXPECT_EQ(back->code, k.code);
  for (const char *bad :
       {"", "refused|", "refused|2026-11-27|401|", "refused|2026-1-27|401|x",
        "refused|2026-11-27|99|x", "refused|2026-11-27|600|x", "refused|2026-11-27|4o1|x",
        "refused|2026-11-27|401|Bad-Code", "refused|2026-11-27|401|a|b", "other|2026-11-27|401|x"})
    EXPECT_FALSE(parse_refused_key(bad)) << bad;
  EXPECT_FALSE(parse_refused_key("refused|2026-11-27|401|" + std::string(49, 'a')));
}

// A key holder chooses the model name, and the error quotes it: the row stays small.
TEST(RequestLog, EveryStoredTextIsBoundedWithAMarker) {
  Shim shim;
  shim.key_is_stored = true;
  std::string huge(1900000, 'm');
  shim.body = dump(
      json{{"model", huge}, {"messages", json::array({{{"role", "user"}, {"content", "x"}}})}});
  json meta = chat_meta("Bearer sk-stored");
  meta["ip"] = std::string(5000, '9');
  meta["url"] = "https://gw.test/v1/chat/completions";
  Trace t = drive(meta, std::ref(shim));
  EXPECT_EQ(t.status, 404);
  const json *p = shim.log_params();
  ASSERT_NE(p, nullptr);
  std::string model = (*p)[4];
  EXPECT_EQ(model.size(), app::log_model_max());
  EXPECT_EQ(model.substr(model.size() - 3), "\xE2\x80\xA6");
  EXPECT_LE(app::log_model_max(), 64u); // the longest catalogue id (23) + 32
  std::string message = (*p)[9];
  EXPECT_LE(message.size(), app::kLogMessageMax);
  EXPECT_EQ(message.substr(message.size() - 3), "\xE2\x80\xA6");
  EXPECT_LE((*p)[16].get<std::string>().size(), app::kLogIpMax);
  EXPECT_LT(dump(*p).size(), 2000u);
  // Short texts are stored as they are; a cut never splits a UTF-8 sequence.
  EXPECT_EQ(app::bounded("grok-4", 55), "grok-4");
  std::string cut = app::bounded(std::string(10, 'a') + "\xC3\xA9\xC3\xA9\xC3\xA9", 14);
  EXPECT_EQ(cut, std::string(10, 'a') + "\xE2\x80\xA6");
}
