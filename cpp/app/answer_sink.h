// AnswerSink: one upstream attempt of an answer as it streams. The pumped bytes (a REST body's
// chunks or WebSocket messages) go to the attempt's answer::Decoder, its neutral events to the
// client API's answer::Renderer — neither known by kind here. Along the way the sink decides:
//   - commit: the first event that produces output starts the client response (stream mode);
//     before it, any failure leaves the client untouched so the flow can try another account;
//     a renderer that holds the answer for a decision (Renderer::holding(): a required tool
//     call, a strict JSON answer) delays the commit until it lets the answer go;
//   - pause: a final generated image or video needs an /images link, which takes an effect, so
//     the sink stops the pump and queues later events until the flow delivers the links;
//   - end: Done, or an Error (after commit, rendered as the API's error event);
//   - quality: a QualityGuard watches the text and reasoning; a looping, empty or reasoning-less
//     answer fails the attempt while nothing reached the client and a retry is allowed
//     (quality_retry), else a loop is cut (the answer ends with StopReason::Length).
// One client write per upstream chunk: the renderer's bytes are taken after each chunk. A
// committed stream that has written nothing for `keepalive_ms` gets the renderer's keep-alive
// on the next pump tick (pump_tick_ms below sets the ticks).
#pragma once

#include "answer/events.h"
#include "answer/fault.h"
#include "answer/quality_guard.h"
#include "answer/renderer.h"
#include "app/upstream_decoder.h"
#include "app/v1_call.h"
#include "core/context.h"

#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace g2a::app {

struct AnswerSinkOptions {
  int source = -1;
  DecoderSpec decoder;
  Headers response_headers;   // for the committed stream
  long long keepalive_ms = 0; // 0 = no keep-alives
  // > 0: a video's progress that rose by at least this much since the last report stops the
  // pump so the flow can record it (take_progress()); the video job uses it.
  int progress_step = 0;
  answer::QualityLimits quality;
  bool quality_retry = false; // a degraded answer may fail the attempt (another account is tried)
};

// The pump's tick interval for an attempt: half the keep-alive interval (so a quiet stream's
// keep-alive comes 1 to 1.5 intervals after its last byte), and on the mgw WebSocket a whole
// divisor of its heartbeat interval no longer than that, so the heartbeat keeps its cadence.
// 0 = no ticks.
long long pump_tick_ms(bool mgw, long long keepalive_ms);

class AnswerSink : public Sink, public answer::EventSink {
public:
  AnswerSink(AnswerSinkOptions opt, std::unique_ptr<answer::Renderer> renderer);

  void start(Ctx &cx); // WebSocket transports: sends the opening frames
  void on_data(Ctx &cx, std::string_view bytes) override;
  void on_tick(Ctx &cx) override;
  void on_event(answer::Event &&ev) override;

  // The pump ended without the sink stopping it.
  void source_ended(Ctx &cx, PumpEnd end, std::string_view detail);

  // Final images and videos waiting for links (upstream URLs in `url`, and `thumb` for videos).
  const std::vector<answer::Event> &images_waiting() const { return waiting_images_; }
  // Delivers the links in order (per event: url, then thumb for a video that has one) and
  // resumes the queued events.
  void deliver_links(Ctx &cx, const std::vector<std::string> &links);

  // The progress to record since the pump stopped for it, once; -1 when none.
  int take_progress() { return std::exchange(progress_pending_, -1); }

  bool paused() const { return paused_; }
  bool done() const { return done_; }
  // Upstream frames of an unknown kind the decoder ignored (for a trace line).
  size_t ignored_frames() const { return decoder_ ? decoder_->ignored_frames() : 0; }
  bool failed() const { return !fault_.ok(); }
  bool committed() const { return committed_; }
  bool streaming() const { return renderer_->streaming(); }
  bool has_output() const { return renderer_->has_output(); }
  int moderated_images() const { return moderated_; }
  const answer::Fault &fault() const { return fault_; }
  // Ends a committed stream with an error event (e.g. a timeout after the first byte).
  void fail_stream(Ctx &cx, const ApiError &e);
  // Ends a committed stream normally, or completes the body (see body()).
  void finish_stream(Ctx &cx);
  // Not streamed, after finish_stream(): the whole response body and its content type.
  std::string body() const { return renderer_->body(); }
  std::string_view content_type() const { return renderer_->content_type(); }
  // The answer's content so far.
  const std::string &content() const { return renderer_->content(); }
  answer::Usage usage() const { return renderer_->usage(); }
  // The complete answer, before finish_stream(): see answer::Renderer.
  bool lacks_required_call() { return renderer_->lacks_required_call(); }
  std::string output_problem() { return renderer_->output_problem(); }
  // What the quality guard found and did ("loop:retried", "loop:cut", "no_reasoning:accepted",
  // "empty:retried", …), empty when the answer looked fine.
  const std::string &quality_note() const { return quality_note_; }
  // Grok's ids for this answer, when its frames named them: the conversation (a new chat's
  // conversation frame) and the assistant response (what a follow-up names as its parent).
  const std::string &conversation_id() const { return conversation_id_; }
  const std::string &response_id() const { return response_id_; }

private:
  // The guard's verdict changed to `q`: fail the attempt, cut the answer or accept it. True
  // when the event at hand must not be rendered.
  bool degraded(Ctx &cx, answer::Quality q);
  void dispatch(Ctx &cx, answer::Event &&ev);
  // Commits (unless the renderer holds the answer) and renders.
  void render(Ctx &cx, answer::Event &&ev);
  void commit(Ctx &cx);
  void fail(answer::Failure f, std::string detail);
  void write_out(Ctx &cx);

  AnswerSinkOptions opt_;
  Ctx *cx_ = nullptr;
  std::unique_ptr<answer::Renderer> renderer_;
  std::unique_ptr<answer::Decoder> decoder_;
  std::deque<answer::Event> queue_;
  std::vector<answer::Event> waiting_images_;
  bool paused_ = false;
  bool committed_ = false;
  bool done_ = false;
  long long last_out_ms_ = 0; // when the client last got bytes
  int moderated_ = 0;
  int progress_reported_ = 0, progress_pending_ = -1;
  answer::Fault fault_;
  answer::QualityGuard guard_;
  std::string quality_note_;
  std::string conversation_id_, response_id_;
};

} // namespace g2a::app
