// Ctx implementation: effect bookkeeping, the pump hand-off, and the output record
// ([u32 ctrl_len][u32 data_len][u32 blob_len] ctrl-json data blob, little-endian). The record's
// ops (effects, pump, pump_stop, respond, end, ws_send, cancel, log, done) are written here: they
// are the runtime's instructions to the shim (shim/run.js), not effects; the effects inside an
// `effects` op are built by core/effects.cpp.
#include "core/context.h"

#include <cstring>

namespace g2a {

const char *pump_end_name(PumpEnd e) {
  switch (e) {
  case PumpEnd::Eof: return "eof";
  case PumpEnd::Error: return "error";
  case PumpEnd::TimeoutFirst: return "timeout_first";
  case PumpEnd::TimeoutIdle: return "timeout_idle";
  case PumpEnd::TimeoutTotal: return "timeout_total";
  case PumpEnd::Stopped: return "stopped";
  case PumpEnd::ClientGone: return "client_gone";
  }
  return "unknown";
}

Ctx::EffectsAwaiter Ctx::run(std::vector<json> effects) {
  json list = json::array();
  for (auto &e : effects) list.push_back(std::move(e));
  ops_.push_back(json{{"op", "effects"}, {"list", std::move(list)}});
  return EffectsAwaiter{*this};
}

std::string_view Ctx::result_bytes(BlobRef ref) const {
  if (!ref.valid || ref.off > result_blob_.size() || ref.len > result_blob_.size() - ref.off)
    return {};
  return std::string_view(result_blob_).substr(ref.off, ref.len);
}

Ctx::PumpAwaiter Ctx::pump(int source, Sink &sink, Timeouts t) {
  sink_ = &sink;
  pump_source_ = source;
  pump_waiting_ = true;
  stop_requested_ = false;
  stop_detail_.clear();
  ops_.push_back(json{{"op", "pump"},
                      {"source", source},
                      {"first_ms", t.first_ms},
                      {"idle_ms", t.idle_ms},
                      {"total_ms", t.total_ms},
                      {"tick_ms", t.tick_ms}});
  return PumpAwaiter{*this};
}

void Ctx::stop_pump(std::string detail) {
  if (!sink_) return;
  stop_requested_ = true;
  stop_detail_ = std::move(detail);
}

bool Ctx::rt_feed(std::string_view bytes) {
  if (!sink_) return true;
  sink_->on_data(*this, bytes);
  if (stop_requested_) {
    ops_.push_back(json{{"op", "pump_stop"}, {"source", pump_source_}});
    rt_pump_ended(PumpEnd::Stopped, std::move(stop_detail_));
    return true;
  }
  return false;
}

bool Ctx::rt_tick() {
  if (!sink_) return false;
  sink_->on_tick(*this);
  if (stop_requested_) {
    ops_.push_back(json{{"op", "pump_stop"}, {"source", pump_source_}});
    rt_pump_ended(PumpEnd::Stopped, std::move(stop_detail_));
    return true;
  }
  return false;
}

void Ctx::rt_pump_ended(PumpEnd end, std::string detail) {
  sink_ = nullptr;
  pump_source_ = -1;
  pump_waiting_ = false;
  stop_requested_ = false;
  pump_result_ = PumpResult{end, std::move(detail)};
}

void Ctx::rt_set_results(std::vector<json> results, std::string blob) {
  results_ = std::move(results);
  result_blob_ = std::move(blob);
}

void Ctx::respond(int status, Headers headers, std::string body) {
  if (status_ != 0) return; // a response was already started; first one wins
  status_ = status;
  ops_.push_back(json{{"op", "respond"},
                      {"status", status},
                      {"headers", headers_json(headers)},
                      {"stream", false}});
  first_byte_ms_ = now_ms;
  bytes_written_ = body.size();
  data_.append(body);
  ended_ = true;
}

void Ctx::respond_stream(int status, Headers headers) {
  if (status_ != 0) return;
  status_ = status;
  streaming_ = true;
  ops_.push_back(json{
      {"op", "respond"}, {"status", status}, {"headers", headers_json(headers)}, {"stream", true}});
}

void Ctx::respond_source(int status, Headers headers, int source, long long slice_start,
                         long long slice_len) {
  if (status_ != 0) return;
  status_ = status;
  json op{{"op", "respond"},
          {"status", status},
          {"headers", headers_json(headers)},
          {"stream", false},
          {"source", source}};
  if (slice_start >= 0) op["slice"] = json::array({slice_start, slice_len});
  ops_.push_back(std::move(op));
  first_byte_ms_ = now_ms;
  ended_ = true;
}

void Ctx::write(std::string_view bytes) {
  if (!streaming_ || ended_ || bytes.empty()) return;
  if (first_byte_ms_ < 0) first_byte_ms_ = now_ms;
  bytes_written_ += bytes.size();
  data_.append(bytes);
}

void Ctx::end_stream() {
  if (!streaming_ || ended_) return;
  ended_ = true;
  ops_.push_back(json{{"op", "end"}});
}

void Ctx::ws_send(int source, std::string text) {
  ops_.push_back(json{{"op", "ws_send"}, {"source", source}, {"text", std::move(text)}});
}

void Ctx::cancel_source(int source) {
  ops_.push_back(json{{"op", "cancel"}, {"source", source}});
}

json Ctx::stage_blob(std::string_view bytes) {
  json ref = json::array({out_blob_.size(), bytes.size()});
  out_blob_.append(bytes);
  return ref;
}

void Ctx::log(std::string_view level, std::string_view message) {
  ops_.push_back(json{{"op", "log"}, {"level", level}, {"message", message}});
}

void Ctx::rt_set_entropy(std::string bytes) {
  entropy_ = std::move(bytes);
  entropy_pos_ = 0;
}

void Ctx::rt_add_entropy(std::string_view bytes) {
  entropy_.erase(0, entropy_pos_);
  entropy_pos_ = 0;
  entropy_.append(bytes);
}

std::string Ctx::take_random(size_t n) {
  size_t k = std::min(n, entropy_.size() - entropy_pos_);
  std::string out = entropy_.substr(entropy_pos_, k);
  entropy_pos_ += k;
  return out;
}

Task<std::string> Ctx::random(size_t n) {
  if (random_left() < n) {
    auto res = co_await run({fx::random(std::max<size_t>(n, 256))});
    rt_add_entropy(result_bytes(fx::RandomResult::of(fx::result_at(res)).bytes));
  }
  co_return take_random(n);
}

std::string Ctx::uuid4() {
  std::string b = take_random(16);
  b.resize(16, '\0');
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
  static const char *hex = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
    auto c = static_cast<unsigned char>(b[i]);
    s.push_back(hex[c >> 4]);
    s.push_back(hex[c & 15]);
  }
  return s;
}

static void put_u32(std::string &s, size_t at, uint32_t v) {
  unsigned char b[4] = {static_cast<unsigned char>(v), static_cast<unsigned char>(v >> 8),
                        static_cast<unsigned char>(v >> 16), static_cast<unsigned char>(v >> 24)};
  std::memcpy(&s[at], b, 4);
}

const std::string &Ctx::rt_flush(bool done) {
  if (done) ops_.push_back(json{{"op", "done"}});
  std::string ctrl = ops_.empty() ? std::string() : dump(json{{"ops", std::move(ops_)}});
  ops_ = json::array();
  record_.clear();
  record_.resize(12);
  put_u32(record_, 0, static_cast<uint32_t>(ctrl.size()));
  put_u32(record_, 4, static_cast<uint32_t>(data_.size()));
  put_u32(record_, 8, static_cast<uint32_t>(out_blob_.size()));
  record_.append(ctrl);
  record_.append(data_);
  record_.append(out_blob_);
  data_.clear();
  out_blob_.clear();
  return record_;
}

} // namespace g2a
