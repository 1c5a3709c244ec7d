// Client side of Grok's mgw chat WebSocket (`/ws/mgw/?uid=`): builds the frames the gateway
// sends (session.create, conversation.item.create, response.create, heartbeats) and decodes
// the frames it receives into neutral Events, as an explicit state machine:
//   Idle → (start) CreatingSession → (session.created + conversation.attached) Responding
//        → (response.done) Done  |  any error → Failed.
// Answer text, reasoning, cards, citations, sources and media share the REST decoder's
// helpers (answer_text, card_cache, media_tracker), so both transports emit the same Events.
#pragma once

#include "answer/decoder.h"
#include "grok/ndjson_decoder.h"
#include "grok/neutral.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::grok {

struct MgwRequest {
  std::string mode;                  // fast | auto | expert | heavy
  std::string prompt;                // the flattened conversation
  std::vector<std::string> file_ids; // uploaded attachments
  bool temporary = true;
  bool disable_memory = true;
  bool disable_search = false;
  bool enable_image_generation = true;
  int image_count = 2;
};

class MgwSession : public answer::Decoder {
public:
  using Send = std::function<void(std::string frame)>;
  using NewId = std::function<std::string()>; // a fresh UUID (the caller owns randomness)

  MgwSession(EventSink &out, Send send, NewId new_id, MgwRequest req, DecodeOptions opt = {});
  ~MgwSession();
  MgwSession(const MgwSession &) = delete;
  MgwSession &operator=(const MgwSession &) = delete;

  enum class State { Idle, CreatingSession, Responding, Done, Failed };

  void start(long long now_ms) override;                   // sends session.create
  void on_frame(std::string_view frame, long long now_ms); // one received WebSocket message
  void on_tick(long long now_ms) override;                 // heartbeat every 25 s while open
  void on_close();                                         // the socket closed
  bool done() const override;                              // Done or Error already emitted
  // answer::Decoder
  void on_data(std::string_view bytes, size_t, long long now_ms) override {
    on_frame(bytes, now_ms);
  }
  void on_end() override { on_close(); }
  State state() const;
  std::string conversation_id() const;
  std::string response_id() const;
  size_t bad_frames() const; // frames ignored as unparseable (not JSON, invalid UTF-8)

  static constexpr long long kHeartbeatMs = 25000;

private:
  struct Impl;
  Impl *impl_;
};

} // namespace g2a::grok
