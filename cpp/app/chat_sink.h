// ChatSink: one upstream chat attempt as it streams. It feeds the pumped bytes (REST NDJSON
// body chunks or mgw WebSocket frames) to the right decoder, and the decoder's events to the
// Chat Completions renderer, deciding along the way:
//   - commit: the first event that produces output starts the client response (stream mode);
//     before it, any failure leaves the client untouched so the flow can try another account;
//   - pause: a final generated image or video needs an /images link, which takes an effect
//     (the link's D1 row), so the sink stops the pump and queues later events until the flow
//     delivers them;
//   - end: Done, or an Error (after commit, rendered as an SSE error event).
// One client write per upstream chunk: the renderer's bytes are written after each chunk.
#pragma once

#include "app/v1_call.h"
#include "core/context.h"
#include "grok/events.h"
#include "grok/mgw_session.h"
#include "grok/ndjson_decoder.h"
#include "openai/chat_render.h"

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace g2a::app {

struct ChatSinkOptions {
  bool stream = false;
  bool mgw = false;
  int source = -1;
  openai::ChatRenderOptions render;
  grok::DecodeOptions decode;
  grok::MgwRequest mgw_request;
  Headers response_headers; // for the committed stream
};

class ChatSink : public Sink, public grok::EventSink {
public:
  explicit ChatSink(ChatSinkOptions opt);

  void start(Ctx &cx); // mgw: sends session.create
  void on_data(Ctx &cx, std::string_view bytes) override;
  void on_tick(Ctx &cx) override;
  void on_event(grok::Event &&ev) override;

  // The pump ended without the sink stopping it.
  void source_ended(Ctx &cx, PumpEnd end, std::string_view detail);

  // Final images and videos waiting for links (upstream URLs in `url`, and `thumb` for videos).
  const std::vector<grok::Event> &images_waiting() const { return waiting_images_; }
  // Delivers the links in order (per event: url, then thumb for a video that has one) and
  // resumes the queued events.
  void deliver_links(Ctx &cx, const std::vector<std::string> &links);

  bool paused() const { return paused_; }
  bool done() const { return done_; }
  bool failed() const { return failure_ != grok::Failure::None; }
  bool committed() const { return committed_; }
  bool has_output() const;
  int moderated_images() const { return moderated_; }
  grok::Failure failure() const { return failure_; }
  const std::string &failure_detail() const { return failure_detail_; }
  // Ends a committed stream with an error event (e.g. a timeout after the first byte).
  void fail_stream(Ctx &cx, const ApiError &e);
  // Ends a committed stream normally (finish chunk, usage, [DONE]) or renders the JSON body.
  void finish_stream(Ctx &cx);
  std::string render_json() const;
  // The answer's content so far.
  const std::string &content() const;
  openai::Usage usage() const;

private:
  void dispatch(Ctx &cx, grok::Event &&ev);
  void commit(Ctx &cx);
  void fail(grok::Failure f, std::string detail);
  void write_out(Ctx &cx);
  openai::ChatAssembler &assembler();

  ChatSinkOptions opt_;
  Ctx *cx_ = nullptr;
  std::string out_;
  std::unique_ptr<openai::ChatStreamRenderer> stream_;
  std::unique_ptr<openai::ChatJsonRenderer> json_;
  std::unique_ptr<grok::NdjsonDecoder> ndjson_;
  std::unique_ptr<grok::MgwSession> mgw_;
  std::deque<grok::Event> queue_;
  std::vector<grok::Event> waiting_images_;
  bool paused_ = false;
  bool committed_ = false;
  bool done_ = false;
  int moderated_ = 0;
  grok::Failure failure_ = grok::Failure::None;
  std::string failure_detail_;
};

} // namespace g2a::app
