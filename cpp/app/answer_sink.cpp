// AnswerSink implementation.
#include "app/answer_sink.h"

#include "app/failure_map.h"
#include "grok/mgw_session.h"

#include <algorithm>

namespace g2a::app {

long long pump_tick_ms(bool mgw, long long keepalive_ms) {
  const long long heartbeat = grok::MgwSession::kHeartbeatMs;
  long long want = keepalive_ms > 0 ? std::max<long long>(keepalive_ms / 2, 1) : 0;
  if (!mgw) return want;
  if (want == 0 || want >= heartbeat) return heartbeat;
  long long n = (heartbeat + want - 1) / want; // ticks per heartbeat, at least
  while (heartbeat % n != 0) ++n;
  return heartbeat / n;
}

AnswerSink::AnswerSink(AnswerSinkOptions opt, std::unique_ptr<answer::Renderer> renderer)
    : opt_(std::move(opt)), renderer_(std::move(renderer)), guard_(opt_.quality) {
  decoder_ = make_decoder(
      std::move(opt_.decoder), *this,
      [this](std::string frame) { cx_->ws_send(opt_.source, std::move(frame)); },
      [this]() { return cx_->uuid4(); });
}

void AnswerSink::start(Ctx &cx) {
  cx_ = &cx;
  decoder_->start(cx.now_ms);
}

void AnswerSink::write_out(Ctx &cx) {
  if (!renderer_->streaming() || !committed_) return;
  renderer_->flush();
  std::string_view bytes = renderer_->pending();
  if (bytes.empty()) return;
  last_out_ms_ = cx.now_ms;
  cx.write(bytes);
  renderer_->clear_pending();
}

void AnswerSink::on_data(Ctx &cx, std::string_view bytes) {
  cx_ = &cx;
  decoder_->on_data(bytes, kFeedPadding, cx.now_ms);
  write_out(cx);
}

void AnswerSink::on_tick(Ctx &cx) {
  cx_ = &cx;
  decoder_->on_tick(cx.now_ms);
  if (opt_.keepalive_ms <= 0 || !committed_ || !renderer_->streaming() || renderer_->ended() ||
      paused_ || cx.now_ms - last_out_ms_ < opt_.keepalive_ms)
    return;
  renderer_->keepalive();
  write_out(cx);
}

void AnswerSink::source_ended(Ctx &cx, PumpEnd end, std::string_view detail) {
  cx_ = &cx;
  switch (end) {
  case PumpEnd::Eof:
    decoder_->on_end();
    break;
  case PumpEnd::TimeoutFirst:
  case PumpEnd::TimeoutIdle:
  case PumpEnd::TimeoutTotal:
    if (!done_ && !failed()) fail(answer::Failure::Timeout, pump_end_name(end));
    break;
  case PumpEnd::Error:
    if (!done_ && !failed()) fail(answer::Failure::Network, std::string(detail));
    break;
  default:
    break;
  }
  write_out(cx);
}

void AnswerSink::fail(answer::Failure f, std::string detail) {
  fault_ = {f, std::move(detail)};
  if (cx_) cx_->stop_pump("failed");
}

void AnswerSink::commit(Ctx &cx) {
  if (committed_) return;
  committed_ = true;
  if (renderer_->streaming()) {
    Headers h{{"content-type", std::string(renderer_->content_type())},
              {"cache-control", "no-cache"},
              {"x-accel-buffering", "no"}};
    for (const auto &kv : opt_.response_headers) h.push_back(kv);
    cx.respond_stream(200, std::move(h));
    last_out_ms_ = cx.now_ms;
    renderer_->begin();
  }
}

static bool is_final_image(const answer::Event &ev) {
  return ev.kind == answer::Event::Kind::Image && !ev.url.empty() &&
         (ev.progress < 0 || ev.progress >= 100);
}

void AnswerSink::on_event(answer::Event &&ev) {
  if (done_ || failed()) return;
  if (paused_) {
    queue_.push_back(std::move(ev));
    return;
  }
  dispatch(*cx_, std::move(ev));
}

void AnswerSink::dispatch(Ctx &cx, answer::Event &&ev) {
  using K = answer::Event::Kind;
  // Media (moderated or not) is an answer to the guard, never an empty one.
  if (ev.kind == K::Image || ev.kind == K::Video) guard_.on_event(ev);
  switch (ev.kind) {
  case K::Meta:
    if (!ev.id.empty()) conversation_id_ = std::move(ev.id);
    return;
  case K::Done:
    if (!ev.ref.empty()) response_id_ = ev.ref;
    if (quality_note_.empty()) {
      answer::Quality q = guard_.on_done();
      if (q != answer::Quality::Ok && degraded(cx, q)) return;
    }
    done_ = true;
    cx.stop_pump("done");
    return;
  case K::Error:
    if (committed_ && renderer_->streaming()) {
      fault_ = {ev.failure, ev.text};
      renderer_->fail(upstream_error({ev.failure}));
      cx.stop_pump("failed");
    } else {
      fail(ev.failure, ev.text);
    }
    return;
  case K::Image:
    if (ev.moderated) {
      ++moderated_;
      return;
    }
    if (is_final_image(ev)) {
      waiting_images_.push_back(std::move(ev));
      paused_ = true;
      cx.stop_pump("links");
      return;
    }
    return; // progress of an image: nothing to show
  case K::Video:
    if (!ev.url.empty()) {
      waiting_images_.push_back(std::move(ev));
      paused_ = true;
      cx.stop_pump("links");
      return;
    }
    if (opt_.progress_step > 0 && ev.progress >= progress_reported_ + opt_.progress_step) {
      progress_reported_ = ev.progress;
      progress_pending_ = ev.progress;
      cx.stop_pump("progress");
    }
    break; // progress: rendered as reasoning
  case K::Source:
    renderer_->on_event(std::move(ev));
    return;
  default:
    break;
  }
  if ((ev.kind == K::Text || ev.kind == K::Reasoning) && quality_note_.empty()) {
    answer::Quality q = guard_.on_event(ev);
    if (q != answer::Quality::Ok && degraded(cx, q)) return;
  }
  render(cx, std::move(ev));
}

void AnswerSink::render(Ctx &cx, answer::Event &&ev) {
  // A held answer (a required tool call not made yet, a strict JSON answer) starts the client
  // response only once the renderer lets it go.
  bool held = renderer_->holding();
  if (!held) commit(cx);
  renderer_->on_event(std::move(ev));
  if (held && !renderer_->holding()) commit(cx);
}

bool AnswerSink::degraded(Ctx &cx, answer::Quality q) {
  using Q = answer::Quality;
  std::string name = answer::quality_name(q);
  bool reached_client = committed_ && renderer_->streaming();
  if (opt_.quality_retry && !reached_client) {
    // Another account may answer well: a soft failure (no penalty, never an invalidation).
    quality_note_ = name + ":retried";
    fail(answer::Failure::ResourceExhausted, name + " answer");
    return true;
  }
  if (q == Q::Loop || q == Q::ReasoningLoop) {
    quality_note_ = name + ":cut";
    commit(cx);
    if (!renderer_->ended()) renderer_->finish(answer::StopReason::Length);
    done_ = true;
    cx.stop_pump("done");
    return true;
  }
  // No retry left: an answer without reasoning is still an answer; an empty one is left to
  // the attempt (no output: the upstream hiccup it always was).
  quality_note_ = name + (q == Q::Empty && !renderer_->has_output() ? ":failed" : ":accepted");
  return false;
}

void AnswerSink::deliver_links(Ctx &cx, const std::vector<std::string> &links) {
  cx_ = &cx;
  std::vector<answer::Event> images = std::move(waiting_images_);
  waiting_images_.clear();
  paused_ = false;
  size_t next = 0;
  for (auto &ev : images) {
    if (next < links.size()) ev.url = links[next++];
    if (ev.kind == answer::Event::Kind::Video && !ev.thumb.empty() && next < links.size())
      ev.thumb = links[next++];
    render(cx, std::move(ev));
  }
  while (!queue_.empty() && !paused_ && !done_ && !failed()) {
    answer::Event ev = std::move(queue_.front());
    queue_.pop_front();
    dispatch(cx, std::move(ev));
  }
  write_out(cx);
}

void AnswerSink::fail_stream(Ctx &cx, const ApiError &e) {
  if (!renderer_->streaming() || !committed_ || renderer_->ended()) return;
  renderer_->fail(e);
  write_out(cx);
}

void AnswerSink::finish_stream(Ctx &cx) {
  if (!renderer_->streaming()) {
    if (!renderer_->ended()) renderer_->finish(answer::StopReason::Stop);
    return;
  }
  commit(cx);
  if (!renderer_->ended()) renderer_->finish(answer::StopReason::Stop);
  if (std::string_view bytes = renderer_->pending(); !bytes.empty()) cx.write(bytes);
  renderer_->clear_pending();
}

} // namespace g2a::app
