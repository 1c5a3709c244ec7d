// Native stream benchmark / profiling harness: drives one streamed chat request through the
// core's C ABI exactly as the shim does (tests/native/harness.h's record decoding), answering
// the setup effects from canned data, then feeds the recorded upstream chunks with core_feed
// and times them. Built with g2a_core (CMakeLists.txt: bench/native/*.cpp); run under
// `valgrind --tool=callgrind` for instruction counts of the same inputs the JS bench uses.
//
//   stream_bench FILE.bin rest|mgw [REQUESTS]   (FILE from bench/lib/write-inputs.mjs)
// Prints one JSON line: {input, transport, requests, chunks, in_bytes, out_bytes, ns_per_request,
// ns_per_chunk, mb_s}.
#include "../../tests/native/harness.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>

using g2a::json;
using g2a::test::decode;
using g2a::test::Record;

namespace {

std::vector<std::string> read_chunks(const char *path) {
  std::ifstream f(path, std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::vector<std::string> out;
  size_t at = 0;
  while (at + 4 <= all.size()) {
    auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(all[at + i])); };
    uint32_t n = b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24);
    out.push_back(all.substr(at + 4, n));
    at += 4 + n;
  }
  return out;
}

json d1_result(const std::string &sql, const std::string &transport) {
  auto has = [&](const char *s) { return sql.find(s) != std::string::npos; };
  if (has("FROM api_keys WHERE key_hash"))
    return json{{"rows", json::array({json{{"id", "key_bench"}, {"name", "bench"}, {"enabled", 1},
                                           {"chat_limit", -1}, {"heavy_limit", -1}, {"image_limit", -1},
                                           {"video_limit", -1}, {"allowed_models", "[]"},
                                           {"expires_at", nullptr}}})}};
  if (has("FROM settings"))
    return json{{"rows", json::array({json{{"key", "statsig_seed"},
                                           {"value", "\"QBDA1lToImAMyVsfR7yIZxjs89fCnrwsyew5u9p/JvkmIBZ9ei03tNI85VtfQW7y\""}},
                                      json{{"key", "statsig_key"},
                                           {"value", "\"069d602b851eb851eb860fd70a3d70a3d70fd70a3d70a3d702b851eb851eb8600\""}},
                                      json{{"key", "chat_transport"}, {"value", "\"" + transport + "\""}}})}};
  if (has("FROM tokens t LEFT JOIN token_buckets"))
    return json{{"rows", json::array({json{{"id", "tok_bench"}, {"sso", "sso-bench-0001"}, {"tier", "super"},
                                           {"user_id", "user-bench-0001"}, {"consecutive_failures", 0},
                                           {"cooldown_until", 0}, {"last_used_at", 0}, {"inflight", 0},
                                           {"inflight_at", 0}, {"remaining", 100}, {"total", 140},
                                           {"window_s", 7200}, {"refreshed_at", 1767225600000LL},
                                           {"cooling_until", 0}}})}};
  if (has("COUNT(*) AS total"))
    return json{{"rows", json::array({json{{"total", 1}, {"usable", 1}, {"of_tier", 1}}})}};
  return json{{"rows", json::array()}, {"changes", 1}, {"last_row_id", 0}};
}

struct Run {
  explicit Run(std::string &out_buf) : out(out_buf) { out.clear(); }
  uint32_t id = 0;
  bool pumping = false, done = false;
  std::string &out; // reused across requests, so its growth is not timed
  std::vector<std::string> sent;
  std::string transport;
  std::string body;

  // Applies records, answering effects, until the flow pumps or finishes.
  void settle(Record rec) {
    for (;;) {
      json pending;
      for (auto &op : rec.ops) {
        std::string kind = op["op"];
        if (kind == "effects") pending = op["list"];
        else if (kind == "pump") pumping = true;
        else if (kind == "pump_stop") pumping = false;
        else if (kind == "ws_send") sent.push_back(op["text"]);
        else if (kind == "done") done = true;
      }
      out += rec.data;
      if (done || pending.is_null()) return;
      json results = json::array();
      std::string blob;
      for (auto &e : pending) {
        std::string op = e["op"];
        if (op == "read_body") {
          results.push_back(json{{"ok", true}, {"bytes", json::array({blob.size(), body.size()})}});
          blob += body;
        } else if (op == "crypto") {
          results.push_back(json{{"ok", true},
                                 {"hex", std::string(64, '0')},
                                 {"b64", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="},
                                 {"bytes", json::array({blob.size(), 32})}});
          blob += std::string(32, '\0');
        } else if (op == "random") {
          size_t n = e.value("n", 16);
          results.push_back(json{{"ok", true}, {"bytes", json::array({blob.size(), n})}});
          blob += std::string(n, '\xab');
        } else if (op == "d1") {
          json rs = json::array();
          for (auto &s : e["stmts"]) rs.push_back(d1_result(s["sql"].get<std::string>(), transport));
          results.push_back(json{{"ok", true}, {"results", rs}});
        } else if (op == "fetch") {
          if (e.value("read", "") == "stream")
            results.push_back(json{{"ok", true}, {"status", 200}, {"headers", json::array()}, {"source", 1}});
          else
            results.push_back(json{{"ok", true}, {"status", 200}, {"headers", json::array()}, {"body", "{}"}});
        } else if (op == "ws_open") {
          results.push_back(json{{"ok", true}, {"status", 101}, {"source", 1}});
        } else {
          results.push_back(json{{"ok", true}});
        }
      }
      std::string r = g2a::dump(json{{"now", 1767225600000LL}, {"results", results}});
      rec = decode(core_resume(id, r.data(), r.size(), blob.data(), blob.size()));
    }
  }

  void feed(const std::string &bytes) {
    settle(decode(core_feed(id, bytes.data(), bytes.size(), 1767225600000.0)));
  }

  void start() {
    body = R"({"model":"grok-4","stream":true,"messages":[{"role":"user","content":"Explain the benchmark."}]})";
    json meta = g2a::test::base_meta("POST", "https://gw.bench/v1/chat/completions");
    meta["kind"] = "fetch";
    meta["now"] = 1767225600000LL;
    meta["rand"] = std::string(512, 'a');
    meta["headers"] = json::array({json::array({"authorization", "Bearer sk-g2a-bench"}),
                                   json::array({"content-type", "application/json"})});
    std::string m = g2a::dump(meta);
    id = core_open(m.data(), m.size());
    settle(decode(core_start(id)));
    if (transport == "mgw") {
      std::string create;
      for (auto &s : sent)
        if (s.find("session.create") != std::string::npos) create = s;
      std::string event_id = json::parse(create)["event"]["event_id"];
      feed(g2a::dump(json{{"session_id", "sess-bench-0001"},
                          {"event", {{"type", "session.created"}, {"client_event_id", event_id},
                                     {"session", {{"id", "sess-bench-0001"}}}}}}));
      feed(g2a::dump(json{{"session_id", "sess-bench-0001"},
                          {"event", {{"type", "conversation.attached"},
                                     {"conversation", {{"id", "sess-bench-0001"}}}}}}));
      out.clear();
    }
  }

  void end() {
    if (pumping && !done) {
      std::string ev = R"({"type":"source_end","reason":"eof","detail":"","now":1767225600000})";
      settle(decode(core_event(id, ev.data(), ev.size())));
    }
    core_close(id);
  }
};

} // namespace

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s FILE.bin rest|mgw [REQUESTS]\n", argv[0]);
    return 2;
  }
  std::vector<std::string> chunks = read_chunks(argv[1]);
  std::string transport = argv[2];
  int requests = argc > 3 ? std::atoi(argv[3]) : 1;
  size_t in_bytes = 0;
  for (auto &c : chunks) in_bytes += c.size();
  double feed_ns = 0;
  size_t out_bytes = 0;
  std::string out_buf;
  out_buf.reserve(64 << 20);
  for (int i = 0; i < requests; ++i) {
    Run run(out_buf);
    run.transport = transport;
    run.start();
    if (!run.pumping) {
      std::fprintf(stderr, "the chat did not reach the pump\n");
      return 1;
    }
    auto t0 = std::chrono::steady_clock::now();
    for (auto &c : chunks) run.feed(c);
    run.end();
    auto t1 = std::chrono::steady_clock::now();
    if (!run.done) {
      std::fprintf(stderr, "the chat flow did not finish\n");
      return 1;
    }
    feed_ns += std::chrono::duration<double, std::nano>(t1 - t0).count();
    out_bytes = run.out.size();
  }
  double per_req = feed_ns / requests;
  std::printf("{\"input\":\"%s\",\"transport\":\"%s\",\"requests\":%d,\"chunks\":%zu,\"in_bytes\":%zu,"
              "\"out_bytes\":%zu,\"ns_per_request\":%.0f,\"ns_per_chunk\":%.1f,\"mb_s\":%.1f}\n",
              argv[1], transport.c_str(), requests, chunks.size(), in_bytes, out_bytes, per_req,
              per_req / static_cast<double>(chunks.size()), in_bytes / 1e6 / (per_req / 1e9));
  return 0;
}
