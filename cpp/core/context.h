// Ctx: the per-request state a flow runs against. It is the only door to the outside world:
// a flow asks for effects (co_await run), pumps an upstream source through a Sink, and
// writes its response through it. The runtime (abi.cpp) turns what accumulates here into
// the output record the shim executes. Nothing in here is shared between requests.
#pragma once

#include "core/coro.h"
#include "core/effects.h"
#include "core/json.h"
#include "core/task.h"
#include "http/request.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace g2a {

class Ctx;

// How a pumped source stopped.
enum class PumpEnd {
  Eof,          // the source ended normally
  Error,        // network error while reading
  TimeoutFirst, // nothing arrived within first_ms
  TimeoutIdle,  // a gap longer than idle_ms
  TimeoutTotal, // the whole pump exceeded total_ms
  Stopped,      // the sink called stop_pump()
  ClientGone,   // the client disconnected
};
const char *pump_end_name(PumpEnd e);

struct Timeouts {
  long long first_ms = 0; // 0 = none
  long long idle_ms = 0;
  long long total_ms = 0;
  long long tick_ms = 0; // 0 = no ticks
};

// Receives the chunks of a pumped source (HTTP body bytes or one WebSocket message each).
class Sink {
public:
  virtual ~Sink() = default;
  virtual void on_data(Ctx &cx, std::string_view bytes) = 0;
  // Called every Timeouts::tick_ms while the pump waits (e.g. to send heartbeats).
  virtual void on_tick(Ctx &cx) {}
};

struct PumpResult {
  PumpEnd end = PumpEnd::Eof;
  std::string detail;
};

class Ctx {
public:
  Request req;
  long long now_ms = 0;     // updated by every call from the shim
  long long started_ms = 0; // when the request arrived
  bool client_gone = false;

  // ---- effects -------------------------------------------------------------------------
  struct EffectsAwaiter {
    Ctx &cx;
    bool await_ready() const noexcept { return false; }
    void await_suspend(co::coroutine_handle<> h) noexcept { cx.waiting_ = h; }
    std::vector<json> await_resume() { return std::move(cx.results_); }
  };
  // Asks the shim to run these effects (concurrently); resumes with one result per effect,
  // in order. Each result is an object with "ok" and op-specific fields, read through the
  // views of core/effects.h (fx::FetchResult::of(fx::result_at(res, 0)), …).
  EffectsAwaiter run(std::vector<json> effects);
  // Binary payload of the last results (fetch bodies, KV values), referenced as [off,len].
  std::string_view result_bytes(BlobRef ref) const;
  std::string_view result_bytes(const json &ref) const { return result_bytes(blob_ref(ref)); }

  // ---- pumping ---------------------------------------------------------------------------
  struct PumpAwaiter {
    Ctx &cx;
    bool await_ready() const noexcept { return false; }
    void await_suspend(co::coroutine_handle<> h) noexcept { cx.waiting_ = h; }
    PumpResult await_resume() { return std::move(cx.pump_result_); }
  };
  // Streams `source` (an id from a fetch/ws effect result) through `sink` until it ends,
  // a timeout fires, the client leaves, or the sink calls stop_pump().
  PumpAwaiter pump(int source, Sink &sink, Timeouts t);
  void stop_pump(std::string detail = {});
  bool pumping() const { return sink_ != nullptr; }

  // ---- output ----------------------------------------------------------------------------
  void respond(int status, Headers headers, std::string body);
  void respond_stream(int status, Headers headers);
  // The body is a source passed through by the shim untouched (optionally only the bytes
  // [slice_start, slice_start + slice_len)).
  void respond_source(int status, Headers headers, int source, long long slice_start = -1,
                      long long slice_len = 0);
  void write(std::string_view bytes); // streamed body bytes (after respond_stream)
  void end_stream();
  void ws_send(int source, std::string text);
  void cancel_source(int source);
  // Places bytes in the blob section of this output; effects refer to them as [off,len].
  json stage_blob(std::string_view bytes);
  void log(std::string_view level, std::string_view message);

  bool responded() const { return status_ != 0; }
  bool streaming() const { return streaming_; }
  int status() const { return status_; }
  long long first_byte_ms() const { return first_byte_ms_; }
  size_t bytes_written() const { return bytes_written_; }

  // ---- randomness (from the runtime's CSPRNG, handed over by the shim) ---------------------
  // Returns n random bytes; awaits a refill effect if the pool is short.
  Task<std::string> random(size_t n);
  // Synchronous variant; returns fewer bytes than asked only if the pool is exhausted.
  std::string take_random(size_t n);
  size_t random_left() const { return entropy_.size() - entropy_pos_; }
  std::string uuid4(); // from the pool; hex of zeros only if exhausted

  // ---- runtime side (abi.cpp) ------------------------------------------------------------
  void rt_set_entropy(std::string bytes);
  void rt_add_entropy(std::string_view bytes);
  // Feeds results of the pending effects; returns the coroutine to resume.
  co::coroutine_handle<> rt_take_waiting() { return std::exchange(waiting_, {}); }
  void rt_set_results(std::vector<json> results, std::string blob);
  // A chunk from the pumped source. Returns true when the pump has finished (sink stopped).
  bool rt_feed(std::string_view bytes);
  void rt_pump_ended(PumpEnd end, std::string detail);
  // A tick while pumping. Returns true when the sink stopped the pump.
  bool rt_tick();
  bool rt_waiting_for_pump() const { return pump_waiting_; }
  bool rt_waiting() const { return static_cast<bool>(waiting_); }
  // Serialises everything accumulated since the last call into the output record.
  const std::string &rt_flush(bool done);

private:
  co::coroutine_handle<> waiting_;
  std::vector<json> results_;
  std::string result_blob_;
  std::string out_blob_;

  Sink *sink_ = nullptr;
  int pump_source_ = -1;
  bool pump_waiting_ = false;
  bool stop_requested_ = false;
  std::string stop_detail_;
  PumpResult pump_result_;

  json ops_ = json::array();
  std::string data_;
  std::string record_;

  int status_ = 0;
  bool streaming_ = false;
  bool ended_ = false;
  long long first_byte_ms_ = -1;
  size_t bytes_written_ = 0;

  std::string entropy_;
  size_t entropy_pos_ = 0;
};

} // namespace g2a
