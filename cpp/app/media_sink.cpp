// MediaSink implementation.
#include "app/media_sink.h"

namespace g2a::app {

MediaSink::MediaSink(DecoderSpec spec, int source, int want, ImageStreamState &stream)
    : source_(source), want_(want), stream_(stream) {
  decoder_ = make_decoder(
      std::move(spec), *this,
      [this](std::string frame) { cx_->ws_send(source_, std::move(frame)); },
      [this]() { return cx_->uuid4(); });
}

void MediaSink::start(Ctx &cx) {
  cx_ = &cx;
  decoder_->start(cx.now_ms);
}

void MediaSink::on_data(Ctx &cx, std::string_view bytes) {
  cx_ = &cx;
  decoder_->on_data(bytes, kFeedPadding, cx.now_ms);
}

void MediaSink::on_tick(Ctx &cx) {
  cx_ = &cx;
  decoder_->on_tick(cx.now_ms);
}

void MediaSink::source_ended(Ctx &cx, PumpEnd end, std::string_view detail) {
  cx_ = &cx;
  if (done_ || !fault_.ok()) return;
  switch (end) {
  case PumpEnd::Eof:
    decoder_->on_end();
    break;
  case PumpEnd::TimeoutFirst:
  case PumpEnd::TimeoutIdle:
  case PumpEnd::TimeoutTotal:
    fault_ = {answer::Failure::Timeout, pump_end_name(end)};
    break;
  case PumpEnd::Error:
    fault_ = {answer::Failure::Network, std::string(detail)};
    break;
  default:
    break;
  }
}

void MediaSink::partial(const answer::Event &ev) {
  if (!stream_.enabled || ev.text.empty() || stream_.partials >= stream_.max_partials) return;
  if (!stream_.committed) {
    stream_.committed = true;
    Headers h{{"content-type", "text/event-stream; charset=utf-8"}, {"cache-control", "no-cache"}};
    for (const auto &kv : stream_.headers) h.push_back(kv);
    cx_->respond_stream(200, std::move(h));
  }
  openai::RenderedImage preview;
  preview.b64_json = ev.text;
  cx_->write(
      openai::image_partial_event(stream_.kind, preview, stream_.partials++, stream_.created));
}

void MediaSink::on_event(answer::Event &&ev) {
  using K = answer::Event::Kind;
  if (done_ || !fault_.ok()) return;
  switch (ev.kind) {
  case K::Image: {
    if (ev.moderated) {
      ++moderated_;
      return;
    }
    bool final = !ev.url.empty() && (ev.progress < 0 || ev.progress >= 100);
    if (!final) {
      partial(ev);
      return;
    }
    std::string key = ev.id.empty() ? ev.url : ev.id;
    for (const auto &s : seen_)
      if (s == key) return;
    seen_.push_back(key);
    images_.push_back(CollectedImage{ev.id, ev.url, ev.text});
    if (static_cast<int>(images_.size()) >= want_) {
      done_ = true;
      cx_->stop_pump("enough images");
    }
    return;
  }
  case K::Done:
    done_ = true;
    cx_->stop_pump("done");
    return;
  case K::Error:
    fault_ = {ev.failure, ev.text};
    cx_->stop_pump("failed");
    return;
  default:
    return; // text, reasoning, sources: not part of an images answer
  }
}

} // namespace g2a::app
