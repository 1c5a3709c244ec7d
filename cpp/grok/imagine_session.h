// Client side of Grok's imagine WebSocket (`wss://…/ws/imagine/listen`, reference §2.8,
// seed §4.6) as an explicit state machine, like MgwSession:
//   Idle → (start: reset + request frames) Generating → Done | Failed.
// Server frames (text or binary, JSON; snake_case or camelCase keys) become neutral Events:
//   - `image` frames → Image{id = image_id, url (absolute: a relative path is joined to
//     ImagineRequest::assets_base), progress = percentage_complete (100 when the status says
//     completed/done/success), text = the base64 `blob` when present (a preview below 100, the
//     final JPEG at 100)}; a slot's final image is emitted once;
//   - `json` frames: current_status `completed` ends a slot; with `moderated: true` it emits
//     Image{id, moderated = true, progress = 100} (no url); a completed slot that never sent a
//     URL ends without an image; status `error` fails like an error frame;
//   - `error` frames → Error{classify_error_message(err_msg, err_code), text = err_msg,
//     ref = err_code} (rate limits → RateLimited, moderation → Moderated, …).
// Frames carrying another request id (request_id / requestId) are ignored; frames without one
// are taken as ours. When every requested slot has completed: Done if at least one final image
// was emitted, else Error{Moderated} when any slot was moderated (else BadResponse).
// Socket closed before that: Done when at least one final image was emitted (the flow then
// returns the images it has, as the seed did — a shorter list, never placeholders), else
// Error{Network}. Nothing is emitted after Done/Error.
#pragma once

#include "answer/decoder.h"
#include "grok/endpoints.h"
#include "grok/neutral.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace g2a::grok {

inline constexpr int kImagineMaxGenerations = 8; // num_generations the socket accepts

struct ImagineRequest {
  std::string prompt;
  std::string aspect_ratio = "2:3"; // one of the imagine list (see openai::aspect_ratio_for)
  std::string request_id;           // a fresh UUID from the caller
  int n = 1;                        // clamped to 1..kImagineMaxGenerations
  bool pro = false;                 // enable_pro
  bool nsfw = true;                 // enable_nsfw
  std::string assets_base = std::string(endpoints::kDefaultAssetsUrl); // for relative image paths
};

// The two frames start() sends, for tests and for callers that send them themselves:
// {"type":"conversation.item.create","timestamp":ms,"item":{"type":"message","content":[…]}}
// with content [{"type":"reset"}], then [{"requestId","text","type":"input_text","properties":
// {section_count, is_kids_mode, enable_nsfw, skip_upsampler, enable_side_by_side, is_initial,
// aspect_ratio, enable_pro, num_generations}}].
std::string imagine_reset_frame(long long now_ms);
std::string imagine_request_frame(const ImagineRequest &req, long long now_ms);

class ImagineSession : public answer::Decoder {
public:
  using Send = std::function<void(std::string frame)>;

  ImagineSession(EventSink &out, Send send, ImagineRequest req);
  ~ImagineSession();
  ImagineSession(const ImagineSession &) = delete;
  ImagineSession &operator=(const ImagineSession &) = delete;

  enum class State { Idle, Generating, Done, Failed };

  void start(long long now_ms) override; // sends the reset, then the request
  void on_frame(std::string_view frame); // one received WebSocket message (text or binary)
  void on_close();                       // the socket closed (either side)
  bool done() const override;            // Done or Error already emitted
  // answer::Decoder
  void on_data(std::string_view bytes, size_t, long long) override { on_frame(bytes); }
  void on_end() override { on_close(); }
  State state() const;
  int images_completed() const; // final, unmoderated images emitted
  int slots_moderated() const;
  size_t bad_frames() const; // frames ignored as unparseable

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace g2a::grok
