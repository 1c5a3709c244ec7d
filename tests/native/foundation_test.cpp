// Foundation flows through the C ABI: /health, the /v1 404, CORS preflight, the body gate
// (413, 400) and the one-log-row rule (for requests whose key is a stored one; the others are
// counted: refused_requests_test.cpp).
#include "harness.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::test;

namespace {

json ok_d1(json rows = json::array()) {
  return json{{"ok", true}, {"results", json::array({json{{"rows", rows}, {"changes", 0}}})}};
}

json with_key(json meta) {
  meta["headers"] = json::array({json::array({"authorization", "Bearer sk-foundation"})});
  return meta;
}

// The key lookup finds a stored key; everything else answers an empty D1 result.
json stored_key(const json &e) {
  if (e["op"] == "crypto") return json{{"ok", true}, {"hex", std::string(64, 'f')}};
  if (e["op"] == "d1" && e["stmts"][0]["sql"].get<std::string>().find(
                             "FROM api_keys WHERE key_hash") != std::string::npos)
    return ok_d1(json::array({json{{"id", "key_f"}, {"name", "foundation"}}}));
  return ok_d1();
}

int count_log_inserts(const Trace &r) {
  int n = 0;
  for (auto &e : r.effects)
    if (e["op"] == "d1")
      for (auto &s : e["stmts"])
        if (s["sql"].get<std::string>().rfind("INSERT INTO request_logs", 0) == 0) ++n;
  return n;
}

} // namespace

TEST(Health, ReportsBothBindingsAfterRealProbes) {
  Trace r = drive(base_meta("GET", "http://x/health"), [](const json &e, std::string &) {
    if (e["op"] == "d1") {
      EXPECT_EQ(e["stmts"][0]["sql"], "SELECT 1 AS ok");
      return ok_d1(json::array({json{{"ok", 1}}}));
    }
    EXPECT_EQ(e["op"], "kv_get");
    return json{{"ok", true}, {"value", nullptr}};
  });
  ASSERT_TRUE(r.done);
  EXPECT_EQ(r.status, 200);
  auto body = json::parse(r.body);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["build"], "test");
  EXPECT_EQ(body["bindings"]["db"], true);
  EXPECT_EQ(body["bindings"]["kv"], true);
  EXPECT_TRUE(body["core"].is_string());
}

TEST(Health, DegradedWhenD1Fails) {
  Trace r = drive(base_meta("GET", "http://x/health"), [](const json &e, std::string &) {
    if (e["op"] == "d1") return json{{"ok", false}, {"error", "no such database"}};
    return json{{"ok", true}, {"value", nullptr}};
  });
  EXPECT_EQ(r.status, 503);
  auto body = json::parse(r.body);
  EXPECT_EQ(body["status"], "degraded");
  EXPECT_EQ(body["bindings"]["db"], false);
  EXPECT_EQ(body["bindings"]["kv"], true);
}

TEST(V1, UnknownPathIs404InOpenAIShapeAndLogsOnce) {
  Trace r = drive(with_key(base_meta("GET", "http://x/v1/nope")),
                  [](const json &e, std::string &) { return stored_key(e); });
  EXPECT_EQ(r.status, 404);
  auto body = json::parse(r.body);
  EXPECT_EQ(body["error"]["type"], "invalid_request_error");
  EXPECT_TRUE(body["error"].contains("param"));
  EXPECT_EQ(body["error"]["code"], "unknown_url");
  EXPECT_EQ(header(r, "content-type"), "application/json");
  EXPECT_EQ(header(r, "access-control-allow-origin"), "*");
  EXPECT_EQ(header(r, "x-request-id").rfind("req_", 0), 0u);
  EXPECT_EQ(count_log_inserts(r), 1);
}

TEST(V1, PreflightAnswersCorsWithoutLogging) {
  json meta = base_meta("OPTIONS", "http://x/v1/chat/completions");
  meta["headers"] = json::array({json::array({"Access-Control-Request-Headers", "authorization"})});
  Trace r = drive(meta, [](const json &, std::string &) { return ok_d1(); });
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(header(r, "access-control-allow-origin"), "*");
  EXPECT_EQ(header(r, "access-control-allow-headers"), "authorization");
  EXPECT_NE(header(r, "access-control-allow-methods").find("POST"), std::string::npos);
  EXPECT_EQ(count_log_inserts(r), 0);
}

TEST(V1, OversizedBodyIs413) {
  Trace r = drive(with_key(base_meta("POST", "http://x/v1/chat/completions")),
                  [](const json &e, std::string &) {
                    if (e["op"] == "read_body") return json{{"ok", false}, {"too_large", true}};
                    return stored_key(e);
                  });
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "request_too_large");
  EXPECT_EQ(count_log_inserts(r), 1);
}

TEST(V1, BodyStillArrivingAfter60SecondsIs408) {
  Trace r = drive(with_key(base_meta("POST", "http://x/v1/chat/completions")),
                  [](const json &e, std::string &) {
                    if (e["op"] == "read_body") {
                      EXPECT_EQ(e["timeout_ms"], 60000);
                      return json{{"ok", false}, {"timeout", true}};
                    }
                    return stored_key(e);
                  });
  EXPECT_EQ(r.status, 408);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "request_timeout");
  EXPECT_EQ(count_log_inserts(r), 1);
}

TEST(V1, MalformedJsonIs400) {
  Trace r = drive(with_key(base_meta("POST", "http://x/v1/chat/completions")),
                  [](const json &e, std::string &blob) {
                    if (e["op"] == "read_body") {
                      std::string body = "{\"model\": ";
                      json ref = json::array({blob.size(), body.size()});
                      blob += body;
                      return json{{"ok", true}, {"bytes", ref}};
                    }
                    return ok_d1();
                  });
  EXPECT_EQ(r.status, 400);
  auto err = json::parse(r.body)["error"];
  EXPECT_EQ(err["type"], "invalid_request_error");
  EXPECT_EQ(err["code"], "invalid_json");
}

TEST(V1, WrongMethodIs405) {
  Trace r = drive(with_key(base_meta("GET", "http://x/v1/chat/completions")),
                  [](const json &, std::string &) { return ok_d1(); });
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(header(r, "allow"), "POST");
}

TEST(Abi, HandlesAreFreedAndUnknownHandlesAreHarmless) {
  uint32_t before = core_live_handles();
  drive(base_meta("GET", "http://x/v1/nope"), [](const json &, std::string &) { return ok_d1(); });
  EXPECT_EQ(core_live_handles(), before);
  Record rec = decode(core_start(987654));
  EXPECT_TRUE(rec.ops.empty());
  std::string bad = "not json";
  EXPECT_EQ(core_open(bad.data(), bad.size()), 0u);
}
