// The C ABI the shim calls: open a request handle, start/resume its flow with effect
// results, feed pumped chunks, deliver events, close. Each call returns a pointer to an
// output record (see Ctx::rt_flush) that stays valid until the next call on that handle.
// The handle table maps ids to per-request state; nothing else lives across calls.
#include "core/context.h"
#include "core/version.h"
#include "worker/router.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <unordered_map>

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#define G2A_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE
#else
#define G2A_EXPORT extern "C"
#endif

#ifdef __EMSCRIPTEN__
// compiler-rt (stack_ops.S): read and set the wasm __stack_pointer.
extern "C" uintptr_t stackSave(void);
extern "C" void stackRestore(uintptr_t sp);
#endif

namespace g2a {
namespace {

// clang 14's WebAssembly backend (Emscripten 3.1.6) does not restore __stack_pointer before
// the return_call a coroutine's .resume makes for symmetric transfer (-mtail-call): each
// coroutine that hands over that way leaks its stack frame, about 200 bytes per chat request.
// After ~1,350 requests an instance's 256 KiB stack has grown into the static data below it,
// the allocator's state there is overwritten and the instance traps later ("memory access out
// of bounds", "Aborted()"). Every export is entered from JavaScript with no wasm frame below
// it, so putting the stack pointer back on the way out undoes whatever the call leaked.
struct StackGuard {
#ifdef __EMSCRIPTEN__
  uintptr_t sp = stackSave();
  ~StackGuard() {
    stackRestore(sp);
  }
#else
  ~StackGuard() {} // nothing leaks natively; user-provided so that -Wunused stays quiet
#endif
};

struct Handle {
  Ctx cx;
  Task<void> root;
};

// Live request handles of this instance (one per in-flight request).
std::unordered_map<uint32_t, std::unique_ptr<Handle>> &handles() {
  static std::unordered_map<uint32_t, std::unique_ptr<Handle>> table;
  return table;
}
uint32_t next_id = 1;

std::string empty_record(12, '\0'); // an output record with nothing in it

Handle *find(uint32_t id) {
  auto it = handles().find(id);
  return it == handles().end() ? nullptr : it->second.get();
}

std::string hex_decode(std::string_view hex) {
  std::string out;
  out.reserve(hex.size() / 2);
  auto v = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
  };
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(v(hex[i]) * 16 + v(hex[i + 1])));
  return out;
}

bool fill_request(Ctx &cx, const json &meta) {
  Request &r = cx.req;
  r.kind = str_or(meta, "kind", "fetch");
  r.method = str_or(meta, "method", "GET");
  r.url = str_or(meta, "url");
  r.ip = str_or(meta, "ip");
  r.cron = str_or(meta, "cron");
  r.scheduled_time = int_or(meta, "scheduled_time", 0);
  r.job = str_or(meta, "job");
  if (!r.url.empty() && !split_url(r.url, r.origin, r.path, r.query)) return false;
  if (r.kind == "fetch" && r.url.empty()) return false;
  if (auto it = meta.find("headers"); it != meta.end() && it->is_array()) {
    for (const auto &pair : *it) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string())
        continue;
      std::string name = pair[0].get<std::string>();
      for (auto &c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers.emplace_back(std::move(name), pair[1].get<std::string>());
    }
  }
  if (auto it = meta.find("vars"); it != meta.end() && it->is_object()) {
    for (auto v = it->begin(); v != it->end(); ++v)
      if (v->is_string()) r.vars[v.key()] = v->get<std::string>();
  }
  if (auto it = meta.find("bindings"); it != meta.end() && it->is_object()) {
    r.has_db = bool_or(*it, "db");
    r.has_kv = bool_or(*it, "kv");
  }
  if (auto it = meta.find("diag"); it != meta.end() && it->is_object()) r.diag = *it;
  cx.now_ms = int_or(meta, "now", 0);
  cx.started_ms = cx.now_ms;
  cx.rt_set_entropy(hex_decode(str_or(meta, "rand")));
  return true;
}

const uint8_t *finish(Handle &h) {
  bool done = h.root.done();
  if (done && !h.cx.responded() && h.cx.req.kind == "fetch") {
    // A flow that ends without answering is a core bug; never leave the client hanging.
    h.cx.respond(
        500, {{"content-type", "application/json"}},
        R"({"error":{"message":"internal error","type":"server_error","param":null,"code":"internal_error"}})");
  }
  return reinterpret_cast<const uint8_t *>(h.cx.rt_flush(done).data());
}

void resume(Handle &h) {
  auto co = h.cx.rt_take_waiting();
  if (co) co.resume();
}

} // namespace
} // namespace g2a

using namespace g2a;

G2A_EXPORT void *core_alloc(size_t n) {
  return std::malloc(n ? n : 1);
}
G2A_EXPORT void core_free(void *p) {
  std::free(p);
}
G2A_EXPORT const char *core_version() {
  return kCoreVersion;
}
// The bytes the shim must leave readable after every chunk it feeds (kFeedPadding: decoders
// parse lines in place with simdjson, which may read that far past the end). The shim asks
// once per instance, so the number is defined only here.
G2A_EXPORT uint32_t core_feed_padding() {
  return static_cast<uint32_t>(kFeedPadding);
}
// Every number the shim needs from the protocol (core/effects.h: read caps, the random and KV
// ceilings, the feed padding) as a NUL-terminated JSON object; the shim asks once per instance.
G2A_EXPORT const char *core_limits() {
  static const std::string limits = limits_json();
  return limits.c_str();
}
G2A_EXPORT uint32_t core_live_handles() {
  return static_cast<uint32_t>(handles().size());
}

// meta: JSON describing the request (see docs/ARCHITECTURE.md). Returns 0 if unusable.
G2A_EXPORT uint32_t core_open(const char *meta, size_t meta_len) {
  StackGuard guard;
  auto parsed = parse_json(std::string_view(meta, meta_len));
  if (!parsed || !parsed->is_object()) return 0;
  auto h = std::make_unique<Handle>();
  if (!fill_request(h->cx, *parsed)) return 0;
  uint32_t id = next_id++;
  if (next_id == 0) next_id = 1;
  h->root = app::handle(h->cx);
  handles()[id] = std::move(h);
  return id;
}

G2A_EXPORT const uint8_t *core_start(uint32_t id) {
  StackGuard guard;
  Handle *h = find(id);
  if (!h) return reinterpret_cast<const uint8_t *>(empty_record.data());
  h->root.handle().resume();
  return finish(*h);
}

// results: {"now":ms,"results":[...]}; blob: bytes the results refer to as [off,len].
G2A_EXPORT const uint8_t *core_resume(uint32_t id, const char *results, size_t len,
                                      const char *blob, size_t blob_len) {
  StackGuard guard;
  Handle *h = find(id);
  if (!h) return reinterpret_cast<const uint8_t *>(empty_record.data());
  auto parsed = parse_json(std::string_view(results, len));
  std::vector<json> items;
  if (parsed && parsed->is_object()) {
    h->cx.now_ms = int_or(*parsed, "now", h->cx.now_ms);
    if (auto it = parsed->find("results"); it != parsed->end() && it->is_array())
      for (auto &r : *it) items.push_back(std::move(r));
  }
  h->cx.rt_set_results(std::move(items), std::string(blob ? blob : "", blob ? blob_len : 0));
  if (h->cx.rt_waiting() && !h->cx.rt_waiting_for_pump()) resume(*h);
  return finish(*h);
}

// One chunk of the pumped source. The hot path: no JSON unless the flow has more to say.
G2A_EXPORT const uint8_t *core_feed(uint32_t id, const char *bytes, size_t len, double now) {
  StackGuard guard;
  Handle *h = find(id);
  if (!h) return reinterpret_cast<const uint8_t *>(empty_record.data());
  h->cx.now_ms = static_cast<long long>(now);
  if (h->cx.rt_waiting_for_pump() && h->cx.rt_feed(std::string_view(bytes, len))) resume(*h);
  return finish(*h);
}

// event: {"type":"source_end","reason":"eof|error|timeout_first|...","detail":..,"now":ms}
//     or {"type":"client_gone","now":ms} or {"type":"tick","now":ms} (every pump tick_ms)
G2A_EXPORT const uint8_t *core_event(uint32_t id, const char *event, size_t len) {
  StackGuard guard;
  Handle *h = find(id);
  if (!h) return reinterpret_cast<const uint8_t *>(empty_record.data());
  auto ev = parse_json(std::string_view(event, len)).value_or(json::object());
  h->cx.now_ms = int_or(ev, "now", h->cx.now_ms);
  std::string type = str_or(ev, "type");
  if (type == "client_gone") {
    h->cx.client_gone = true;
    if (h->cx.rt_waiting_for_pump()) {
      h->cx.rt_pump_ended(PumpEnd::ClientGone, "");
      resume(*h);
    }
  } else if (type == "tick" && h->cx.rt_waiting_for_pump()) {
    if (h->cx.rt_tick()) resume(*h);
  } else if (type == "source_end" && h->cx.rt_waiting_for_pump()) {
    std::string reason = str_or(ev, "reason", "eof");
    PumpEnd end = PumpEnd::Eof;
    if (reason == "error")
      end = PumpEnd::Error;
    else if (reason == "timeout_first")
      end = PumpEnd::TimeoutFirst;
    else if (reason == "timeout_idle")
      end = PumpEnd::TimeoutIdle;
    else if (reason == "timeout_total")
      end = PumpEnd::TimeoutTotal;
    h->cx.rt_pump_ended(end, str_or(ev, "detail"));
    resume(*h);
  }
  return finish(*h);
}

G2A_EXPORT void core_close(uint32_t id) {
  StackGuard guard;
  handles().erase(id);
}
