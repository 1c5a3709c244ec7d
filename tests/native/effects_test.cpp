// The effect protocol (core/effects.h): every effect serialises to the exact bytes the shim has
// always read (the expected strings are what the call sites wrote before the protocol was
// typed), and the result views read what shim/effects.js answers without copying bodies.
#include "core/effects.h"

#include <gtest/gtest.h>

using namespace g2a;

namespace {

std::string wire(const json &e) {
  return dump(e);
}

} // namespace

TEST(EffectWire, StorageEffects) {
  EXPECT_EQ(
      wire(fx::d1({{"SELECT ?1", json::array({1})}, {"DELETE FROM t", json::array()}})),
      R"({"op":"d1","stmts":[{"sql":"SELECT ?1","params":[1]},{"sql":"DELETE FROM t","params":[]}]})");
  EXPECT_EQ(wire(fx::kv_get("k")), R"({"op":"kv_get","key":"k","as":"text"})");
  EXPECT_EQ(wire(fx::kv_get("k", "stream")), R"({"op":"kv_get","key":"k","as":"stream"})");
  EXPECT_EQ(wire(fx::kv_put("k", json{{"source", 3}}, 0, nullptr)),
            R"({"op":"kv_put","key":"k","value":{"source":3}})");
  EXPECT_EQ(
      wire(fx::kv_put("k", "v", 1700000000, json{{"size", 2}})),
      R"({"op":"kv_put","key":"k","value":"v","expiration":1700000000,"metadata":{"size":2}})");
  EXPECT_EQ(wire(fx::kv_delete({"a", "b"})), R"({"op":"kv_delete","keys":["a","b"]})");
  EXPECT_EQ(wire(fx::kv_list("p/", "", 10)), R"({"op":"kv_list","prefix":"p/","limit":10})");
  EXPECT_EQ(wire(fx::kv_list("p/", "c1", 10)),
            R"({"op":"kv_list","prefix":"p/","limit":10,"cursor":"c1"})");
}

TEST(EffectWire, RuntimeEffects) {
  EXPECT_EQ(wire(fx::read_body(1024)), R"({"op":"read_body","max":1024})");
  EXPECT_EQ(wire(fx::read_body(1024, 500)), R"({"op":"read_body","max":1024,"timeout_ms":500})");
  EXPECT_EQ(wire(fx::random(256)), R"({"op":"random","n":256})");
  EXPECT_EQ(wire(fx::sleep(20)), R"({"op":"sleep","ms":20})");
  EXPECT_EQ(wire(fx::sha256("abc")), R"({"op":"crypto","fn":"sha256","data":"abc"})");
  EXPECT_EQ(wire(fx::hmac_sha256("k", "d")),
            R"({"op":"crypto","fn":"hmac_sha256","key":"k","data":"d"})");
  EXPECT_EQ(
      wire(fx::pbkdf2_sha256("pw", "c2FsdA==", 1000)),
      R"({"op":"crypto","fn":"pbkdf2_sha256","data":"pw","salt":"c2FsdA==","iterations":1000,"bits":256})");
  EXPECT_EQ(wire(fx::effect(fx::Tally{json{{"404:x", 1}}, 100, 60000})),
            R"({"op":"tally","add":{"404:x":1},"take_at_count":100,"take_after_ms":60000})");
  EXPECT_EQ(
      wire(fx::effect(fx::JobStart{"VIDEO_JOBS", "job1", R"({"job":"job1"})"})),
      R"({"op":"job_start","binding":"VIDEO_JOBS","name":"job1","body":"{\"job\":\"job1\"}"})");
}

TEST(EffectWire, SourceEffects) {
  EXPECT_EQ(wire(fx::effect(fx::Tee{4})), R"({"op":"tee","source":4})");
  EXPECT_EQ(wire(fx::effect(fx::ReadSource{5})),
            R"({"op":"read_source","source":5,"max_bytes":65536})");
}

TEST(EffectWire, FetchWritesOnlyWhatIsSetInTheShimsOrder) {
  fx::Fetch f;
  f.url = "https://grok.com/rest/x";
  f.headers = {{"accept", "*/*"}, {"cookie", "a=b"}};
  f.read = "stream";
  f.timeout_ms = 30000;
  EXPECT_EQ(
      wire(fx::effect(f)),
      R"({"op":"fetch","method":"GET","url":"https://grok.com/rest/x","headers":[["accept","*/*"],["cookie","a=b"]],"read":"stream","timeout_ms":30000})");
  f.method = "POST";
  f.read = "text";
  f.max_bytes = 1024;
  f.redirect = "manual";
  f.binding = "RELAY";
  f.body = json{{"data", json::array({0, 3})}};
  EXPECT_EQ(
      wire(fx::effect(f)),
      R"({"op":"fetch","method":"POST","url":"https://grok.com/rest/x","headers":[["accept","*/*"],["cookie","a=b"]],"read":"text","max_bytes":1024,"timeout_ms":30000,"redirect":"manual","binding":"RELAY","body":{"data":[0,3]}})");
}

TEST(EffectWire, WsOpen) {
  EXPECT_EQ(wire(fx::effect(fx::WsOpen{"wss://x/ws", {{"origin", "o"}}, ""})),
            R"({"op":"ws_open","url":"wss://x/ws","headers":[["origin","o"]]})");
  EXPECT_EQ(wire(fx::effect(fx::WsOpen{"wss://x/ws", {}, "WS"})),
            R"({"op":"ws_open","url":"wss://x/ws","headers":[],"binding":"WS"})");
}

TEST(EffectWire, LimitsNameEveryNumberTheShimTakes) {
  auto j = parse_json(limits_json());
  ASSERT_TRUE(j);
  EXPECT_EQ(dump(*j), R"({"fetch_read_max":8388608,"source_read_max":65536,"random_max":65536})");
}

TEST(EffectResults, NoResultReadsAsNotOk) {
  std::vector<json> none;
  EXPECT_TRUE(fx::result_at(none).is_null());
  EXPECT_FALSE(fx::FetchResult::of(fx::result_at(none)).ok);
  EXPECT_EQ(fx::FetchResult::of(fx::result_at(none)).source, -1);
  EXPECT_FALSE(fx::D1Result::of(fx::result_at(none)).ok);
  EXPECT_TRUE(fx::D1Result::of(fx::result_at(none)).rows().is_null());
  EXPECT_EQ(fx::D1Result::of(fx::result_at(none)).changes(1), 0);
  EXPECT_FALSE(fx::KvGetResult::of(fx::result_at(none)).found);
  EXPECT_FALSE(fx::TeeResult::of(fx::result_at(none)).ok);
}

TEST(EffectResults, FetchViewPointsIntoTheResult) {
  json r = json::parse(
      R"({"ok":true,"status":429,"headers":[["content-type","text/plain"],["retry-after","7"]],"body":"slow down"})");
  auto f = fx::FetchResult::of(r);
  EXPECT_TRUE(f.ok);
  EXPECT_EQ(f.status, 429);
  EXPECT_EQ(f.header("retry-after"), "7");
  EXPECT_EQ(f.header("x-missing"), "");
  EXPECT_EQ(f.body, "slow down");
  // A view, not a copy: the body's bytes are the result's own.
  EXPECT_EQ(f.body.data(), r["body"].get_ref<const std::string &>().data());
  EXPECT_FALSE(f.has_source());

  json src = json::parse(R"({"ok":true,"status":200,"source":3})");
  EXPECT_EQ(fx::FetchResult::of(src).source, 3);
  json b = json::parse(R"({"ok":true,"status":200,"bytes":[10,20]})");
  auto by = fx::FetchResult::of(b);
  EXPECT_TRUE(by.bytes.valid);
  EXPECT_EQ(by.bytes.off, 10u);
  EXPECT_EQ(by.bytes.len, 20u);
  json e = json::parse(R"({"ok":false,"error":"timeout","timeout":true})");
  auto t = fx::FetchResult::of(e);
  EXPECT_FALSE(t.ok);
  EXPECT_TRUE(t.timeout);
  EXPECT_EQ(t.error, "timeout");
  json m = json::parse(R"({"ok":false,"binding_missing":true,"error":"binding_missing"})");
  EXPECT_TRUE(fx::FetchResult::of(m).binding_missing);
}

TEST(EffectResults, D1ViewReadsEachStatement) {
  json r = json::parse(
      R"({"ok":true,"results":[{"rows":[{"id":1}],"changes":0,"last_row_id":0},{"rows":[],"changes":1,"last_row_id":9}]})");
  auto d = fx::D1Result::of(r);
  EXPECT_TRUE(d.ok);
  EXPECT_EQ(d.rows(0).size(), 1u);
  EXPECT_EQ(d.rows(0)[0]["id"], 1);
  EXPECT_EQ(d.changes(1), 1);
  EXPECT_EQ(d.last_row_id(1), 9);
  EXPECT_TRUE(d.rows(2).is_null());
}

TEST(EffectResults, KvTeeCryptoAndBodyViews) {
  json g = json::parse(R"({"ok":true,"found":true,"source":2,"metadata":{"size":5}})");
  auto k = fx::KvGetResult::of(g);
  EXPECT_TRUE(k.found);
  EXPECT_EQ(k.source, 2);
  ASSERT_NE(k.metadata, nullptr);
  EXPECT_EQ((*k.metadata)["size"], 5);
  json miss = json::parse(R"({"ok":true,"found":false})");
  EXPECT_FALSE(fx::KvGetResult::of(miss).found);

  json t = json::parse(R"({"ok":true,"sources":[4,5]})");
  auto tee = fx::TeeResult::of(t);
  EXPECT_TRUE(tee.ok);
  EXPECT_EQ(tee.a, 4);
  EXPECT_EQ(tee.b, 5);

  json c = json::parse(R"({"ok":true,"hex":"ab","b64":"qw==","bytes":[0,1]})");
  auto cr = fx::CryptoResult::of(c);
  EXPECT_EQ(cr.hex, "ab");
  EXPECT_EQ(cr.b64, "qw==");
  EXPECT_TRUE(cr.bytes.valid);

  json rb = json::parse(R"({"ok":false,"too_large":true,"size":99})");
  auto body = fx::ReadBodyResult::of(rb);
  EXPECT_FALSE(body.ok);
  EXPECT_TRUE(body.too_large);
  EXPECT_FALSE(body.bytes.valid);

  json rs = json::parse(R"({"ok":true,"body":"<html>"})");
  EXPECT_EQ(fx::ReadSourceResult::of(rs).body, "<html>");

  json ta = json::parse(R"({"ok":true,"taken":{"a":1}})");
  auto tally = fx::TallyResult::of(ta);
  ASSERT_NE(tally.taken, nullptr);
  EXPECT_EQ((*tally.taken)["a"], 1);
}

TEST(EffectResults, BlobRefRejectsWhatIsNotAPair) {
  EXPECT_FALSE(blob_ref(json::parse("[1]")).valid);
  EXPECT_FALSE(blob_ref(json::parse("[-1,2]")).valid);
  EXPECT_FALSE(blob_ref(json::parse(R"({"a":1})")).valid);
  EXPECT_TRUE(blob_ref(json::parse("[0,0]")).valid);
}

TEST(EffectHeaders, OneConversionBothWays) {
  Headers h{{"a", "1"}, {"b", "2"}};
  json j = headers_json(h);
  EXPECT_EQ(dump(j), R"([["a","1"],["b","2"]])");
  EXPECT_EQ(header_value(j, "b"), "2");
  EXPECT_EQ(header_value(j, "c"), "");
  EXPECT_EQ(header_value(json::parse(R"([["Location","/x"]])"), "location"), "/x");
  EXPECT_EQ(header_value(json::parse(R"([["a"],["b",2]])"), "b"), "");
}
