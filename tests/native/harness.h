// Test harness that drives a request through the core's C ABI exactly like the shim does,
// answering effects from a scripted callback. Used by flow tests.
#pragma once

#include "core/json.h"

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

extern "C" {
uint32_t core_open(const char *meta, size_t len);
const uint8_t *core_start(uint32_t id);
const uint8_t *core_resume(uint32_t id, const char *results, size_t len, const char *blob,
                           size_t blob_len);
const uint8_t *core_feed(uint32_t id, const char *bytes, size_t len, double now);
const uint8_t *core_event(uint32_t id, const char *ev, size_t len);
void core_close(uint32_t id);
uint32_t core_live_handles();
}

namespace g2a::test {

struct Record {
  json ops = json::array();
  std::string data;
  std::string blob;
};

inline Record decode(const uint8_t *p) {
  Record r;
  if (!p) return r;
  auto u32 = [&](int at) {
    return static_cast<uint32_t>(p[at]) | (static_cast<uint32_t>(p[at + 1]) << 8) |
           (static_cast<uint32_t>(p[at + 2]) << 16) | (static_cast<uint32_t>(p[at + 3]) << 24);
  };
  uint32_t c = u32(0), d = u32(4), b = u32(8);
  const char *base = reinterpret_cast<const char *>(p) + 12;
  if (c) r.ops = json::parse(std::string(base, c))["ops"];
  r.data.assign(base + c, d);
  r.blob.assign(base + c + d, b);
  return r;
}

// What the scripted shim saw over a whole request.
struct Trace {
  int status = 0;
  json headers = json::array();
  bool stream = false;
  std::string body;
  std::vector<json> effects; // every effect requested, in order
  bool done = false;
};

using EffectFn = std::function<json(const json &effect, std::string &blob_out)>;

// Runs a request to completion. `answer` returns each effect's result; it may append bytes
// to blob_out and reference them as [off,len].
inline Trace drive(const json &meta, const EffectFn &answer, int max_steps = 100) {
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
    std::string r = dump(json{{"now", meta.value("now", 0LL)}, {"results", results}});
    rec = decode(core_resume(id, r.data(), r.size(), blob.data(), blob.size()));
  }
  core_close(id);
  return run;
}

inline json base_meta(std::string method, std::string url) {
  return json{{"method", method},
              {"url", url},
              {"headers", json::array()},
              {"now", 1700000000000LL},
              {"rand", std::string(1024, 'a')},
              {"vars", {{"BUILD_SHA", "test"}}},
              {"bindings", {{"db", true}, {"kv", true}}}};
}

inline std::string header(const Trace &r, const std::string &name) {
  for (auto &h : r.headers)
    if (h[0] == name) return h[1];
  return {};
}

} // namespace g2a::test
