// MediaSink implementation.
#include "app/media_sink.h"

namespace g2a::app {

MediaSink::MediaSink(Proto proto, int source, int want, ImageStreamState &stream,
                     grok::DecodeOptions decode, grok::MgwRequest mgw,
                     grok::ImagineRequest imagine)
    : proto_(proto), source_(source), want_(want), stream_(stream) {
  auto send = [this](std::string frame) { cx_->ws_send(source_, std::move(frame)); };
  switch (proto_) {
  case Proto::Ndjson: ndjson_ = std::make_unique<grok::NdjsonDecoder>(*this, decode); break;
  case Proto::Mgw:
    mgw_ = std::make_unique<grok::MgwSession>(*this, send, [this]() { return cx_->uuid4(); },
                                              std::move(mgw), decode);
    break;
  case Proto::Imagine:
    imagine_ = std::make_unique<grok::ImagineSession>(*this, send, std::move(imagine));
    break;
  }
}

void MediaSink::start(Ctx &cx) {
  cx_ = &cx;
  if (mgw_) mgw_->start(cx.now_ms);
  if (imagine_) imagine_->start(cx.now_ms);
}

void MediaSink::on_data(Ctx &cx, std::string_view bytes) {
  cx_ = &cx;
  if (ndjson_) ndjson_->feed(bytes, 64);
  else if (mgw_) mgw_->on_frame(bytes, cx.now_ms);
  else imagine_->on_frame(bytes);
}

void MediaSink::on_tick(Ctx &cx) {
  cx_ = &cx;
  if (mgw_) mgw_->on_tick(cx.now_ms);
}

void MediaSink::source_ended(Ctx &cx, PumpEnd end, std::string_view detail) {
  cx_ = &cx;
  if (done_ || failure_ != grok::Failure::None) return;
  switch (end) {
  case PumpEnd::Eof:
    if (ndjson_) ndjson_->finish();
    else if (mgw_) mgw_->on_close();
    else imagine_->on_close();
    break;
  case PumpEnd::TimeoutFirst:
  case PumpEnd::TimeoutIdle:
  case PumpEnd::TimeoutTotal:
    failure_ = grok::Failure::Timeout;
    detail_ = pump_end_name(end);
    break;
  case PumpEnd::Error:
    failure_ = grok::Failure::Network;
    detail_ = std::string(detail);
    break;
  default: break;
  }
}

void MediaSink::partial(const grok::Event &ev) {
  if (!stream_.enabled || ev.text.empty() || stream_.partials >= stream_.max_partials) return;
  if (!stream_.committed) {
    stream_.committed = true;
    Headers h{{"content-type", "text/event-stream; charset=utf-8"}, {"cache-control", "no-cache"}};
    for (const auto &kv : stream_.headers) h.push_back(kv);
    cx_->respond_stream(200, std::move(h));
  }
  openai::RenderedImage preview;
  preview.b64_json = ev.text;
  cx_->write(openai::image_partial_event(stream_.kind, preview, stream_.partials++,
                                         stream_.created));
}

void MediaSink::on_event(grok::Event &&ev) {
  using K = grok::Event::Kind;
  if (done_ || failure_ != grok::Failure::None) return;
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
    failure_ = ev.failure;
    detail_ = ev.text;
    cx_->stop_pump("failed");
    return;
  default: return; // text, reasoning, sources: not part of an images answer
  }
}

} // namespace g2a::app
