// Drives one request through the core's C ABI the way the shim does, for the flow fuzz
// targets: effects are answered by a caller-supplied function; a pumped source is fed the
// caller's upstream bytes in chunks and then ended; every D1 statement is recorded. Unlike
// tests/native/harness.h it never aborts on an odd record: a flow that stalls (neither
// effects, nor a pump, nor done) is reported as `stalled`.
#pragma once

#include "core/json.h"

#include <cstdint>
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

namespace g2a::fuzz {

struct Record {
  json ops = json::array();
  std::string data;
};

inline Record decode_record(const uint8_t *p) {
  Record r;
  if (!p) return r;
  auto u32 = [&](int at) {
    return static_cast<uint32_t>(p[at]) | (static_cast<uint32_t>(p[at + 1]) << 8) |
           (static_cast<uint32_t>(p[at + 2]) << 16) | (static_cast<uint32_t>(p[at + 3]) << 24);
  };
  uint32_t c = u32(0), d = u32(4);
  const char *base = reinterpret_cast<const char *>(p) + 12;
  if (c) {
    auto j = parse_json(std::string_view(base, c));
    if (j && j->contains("ops")) r.ops = (*j)["ops"];
  }
  r.data.assign(base + c, d);
  return r;
}

struct Run {
  int status = 0;
  json headers = json::array();
  bool stream = false;
  std::string body;
  std::vector<json> effects; // every effect, in order
  std::vector<json> stmts;   // every D1 statement {sql, params}
  bool done = false;
  bool stalled = false;
  int steps = 0;
};

// answer(effect, blob) → result; may append to blob and reference [offset, length].
using Answer = std::function<json(const json &effect, std::string &blob)>;

// feed(source) → the chunks fed to that pumped source, in order (then it ends with eof).
using Feed = std::function<std::vector<std::string>(int source)>;

inline Run drive(const json &meta, const Answer &answer, const Feed &feed, long long now) {
  Run run;
  std::string m = dump(meta);
  uint32_t id = core_open(m.data(), m.size());
  if (!id) {
    run.stalled = true;
    return run;
  }
  Record rec = decode_record(core_start(id));
  for (; run.steps < 400; ++run.steps) {
    json pending;
    bool pump = false;
    int source = -1;
    for (auto &op : rec.ops) {
      std::string kind = str_or(op, "op");
      if (kind == "respond") {
        run.status = static_cast<int>(int_or(op, "status"));
        run.headers = op.value("headers", json::array());
        run.stream = bool_or(op, "stream");
      } else if (kind == "effects") {
        pending = op["list"];
      } else if (kind == "pump") {
        pump = true;
        source = static_cast<int>(int_or(op, "source", -1));
      } else if (kind == "pump_stop") {
        pump = false;
      } else if (kind == "done") {
        run.done = true;
      }
    }
    run.body += rec.data;
    if (run.done) break;
    if (pending.is_array()) {
      json results = json::array();
      std::string blob;
      for (auto &e : pending) {
        run.effects.push_back(e);
        if (str_or(e, "op") == "d1" && e.contains("stmts"))
          for (auto &s : e["stmts"]) run.stmts.push_back(s);
        results.push_back(answer(e, blob));
      }
      std::string r = dump(json{{"now", now}, {"results", results}});
      rec = decode_record(core_resume(id, r.data(), r.size(), blob.data(), blob.size()));
      continue;
    }
    if (pump) {
      // Feed every chunk; stop early when the flow answers with something to do.
      Record next;
      bool interrupted = false;
      for (const auto &chunk : feed(source)) {
        std::string own(chunk);
        next = decode_record(core_feed(id, own.data(), own.size(), static_cast<double>(now)));
        run.body += next.data;
        next.data.clear();
        if (!next.ops.empty()) {
          bool act = false;
          for (auto &op : next.ops) {
            std::string k = str_or(op, "op");
            act = act || k == "effects" || k == "done" || k == "pump_stop" || k == "pump";
            if (k == "respond") {
              run.status = static_cast<int>(int_or(op, "status"));
              run.headers = op.value("headers", json::array());
              run.stream = bool_or(op, "stream");
            }
          }
          if (act) {
            interrupted = true;
            break;
          }
        }
      }
      if (!interrupted) {
        std::string ev = dump(json{{"type", "source_end"}, {"reason", "eof"}, {"now", now}});
        Record end = decode_record(core_event(id, ev.data(), ev.size()));
        // The last chunk's other ops (log, ws_send …) come first, in their order.
        if (next.ops.is_array() && !next.ops.empty())
          end.ops.insert(end.ops.begin(), next.ops.begin(), next.ops.end());
        next = std::move(end);
      }
      rec = std::move(next);
      continue;
    }
    run.stalled = true;
    break;
  }
  core_close(id);
  return run;
}

inline std::string header_of(const Run &r, const std::string &name) {
  for (auto &h : r.headers)
    if (h.is_array() && h.size() == 2 && h[0] == name && h[1].is_string()) return h[1];
  return {};
}

} // namespace g2a::fuzz
