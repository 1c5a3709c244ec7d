// The upstream half of an answer: the bytes of one upstream protocol in, neutral Events out
// (to the EventSink a decoder is built with). Every upstream transport implements it — Grok's
// REST NDJSON body, the mgw chat WebSocket, the imagine WebSocket — so the sink that drives a
// decoder never asks which one it has, and no decoder knows which client API is asking.
#pragma once

#include <cstddef>
#include <string_view>

namespace g2a::answer {

class Decoder {
public:
  virtual ~Decoder() = default;
  // Sends what opens a session (a WebSocket's first frames); nothing for a response body.
  virtual void start(long long now_ms) {}
  // One chunk of a body, or one WebSocket message. `readable_padding` bytes after `bytes` may
  // be read (never interpreted): a decoder can parse in place when there are enough.
  virtual void on_data(std::string_view bytes, size_t readable_padding, long long now_ms) = 0;
  // Called every few seconds while the source is quiet (heartbeats).
  virtual void on_tick(long long now_ms) {}
  // The source ended normally (end of body, socket closed): decode what is left, then Done or
  // an Error if the answer did not complete.
  virtual void on_end() = 0;
  // Done or Error already emitted.
  virtual bool done() const = 0;
  // Frames of a kind this decoder does not know, ignored (never an error); for a trace line.
  virtual size_t ignored_frames() const { return 0; }
};

} // namespace g2a::answer
