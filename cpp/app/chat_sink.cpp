// ChatSink implementation.
#include "app/chat_sink.h"

#include "app/failure_map.h"

namespace g2a::app {

ChatSink::ChatSink(ChatSinkOptions opt) : opt_(std::move(opt)) {
  if (opt_.stream) stream_ = std::make_unique<openai::ChatStreamRenderer>(opt_.render, out_);
  else json_ = std::make_unique<openai::ChatJsonRenderer>(opt_.render);
  if (opt_.mgw) {
    mgw_ = std::make_unique<grok::MgwSession>(
        *this, [this](std::string frame) { cx_->ws_send(opt_.source, std::move(frame)); },
        [this]() { return cx_->uuid4(); }, opt_.mgw_request, opt_.decode);
  } else {
    ndjson_ = std::make_unique<grok::NdjsonDecoder>(*this, opt_.decode);
  }
}

openai::ChatAssembler &ChatSink::assembler() {
  if (stream_) return *stream_;
  return *json_;
}

bool ChatSink::has_output() const {
  return stream_ ? stream_->has_output() : json_->has_output();
}

openai::Usage ChatSink::usage() const { return stream_ ? stream_->usage() : json_->usage(); }

void ChatSink::start(Ctx &cx) {
  cx_ = &cx;
  if (mgw_) mgw_->start(cx.now_ms);
}

void ChatSink::write_out(Ctx &cx) {
  if (!stream_) return;
  if (committed_) stream_->flush();
  if (!out_.empty() && committed_) {
    cx.write(out_);
    out_.clear();
  }
}

void ChatSink::on_data(Ctx &cx, std::string_view bytes) {
  cx_ = &cx;
  if (ndjson_) ndjson_->feed(bytes, 64);
  else mgw_->on_frame(bytes, cx.now_ms);
  write_out(cx);
}

void ChatSink::on_tick(Ctx &cx) {
  cx_ = &cx;
  if (mgw_) mgw_->on_tick(cx.now_ms);
}

void ChatSink::source_ended(Ctx &cx, PumpEnd end, std::string_view detail) {
  cx_ = &cx;
  switch (end) {
  case PumpEnd::Eof:
    if (ndjson_) ndjson_->finish();
    else mgw_->on_close();
    break;
  case PumpEnd::TimeoutFirst:
  case PumpEnd::TimeoutIdle:
  case PumpEnd::TimeoutTotal:
    if (!done_ && !failed()) fail(grok::Failure::Timeout, pump_end_name(end));
    break;
  case PumpEnd::Error:
    if (!done_ && !failed()) fail(grok::Failure::Network, std::string(detail));
    break;
  default: break;
  }
  write_out(cx);
}

void ChatSink::fail(grok::Failure f, std::string detail) {
  failure_ = f;
  failure_detail_ = std::move(detail);
  if (cx_) cx_->stop_pump("failed");
}

void ChatSink::commit(Ctx &cx) {
  if (committed_) return;
  committed_ = true;
  if (stream_) {
    Headers h{{"content-type", "text/event-stream; charset=utf-8"},
              {"cache-control", "no-cache"},
              {"x-accel-buffering", "no"}};
    for (const auto &kv : opt_.response_headers) h.push_back(kv);
    cx.respond_stream(200, std::move(h));
    stream_->begin();
  }
}

static bool is_final_image(const grok::Event &ev) {
  return ev.kind == grok::Event::Kind::Image && !ev.url.empty() &&
         (ev.progress < 0 || ev.progress >= 100);
}

void ChatSink::on_event(grok::Event &&ev) {
  if (done_ || failed()) return;
  if (paused_) {
    queue_.push_back(std::move(ev));
    return;
  }
  dispatch(*cx_, std::move(ev));
}

void ChatSink::dispatch(Ctx &cx, grok::Event &&ev) {
  using K = grok::Event::Kind;
  switch (ev.kind) {
  case K::Meta: return;
  case K::Done:
    done_ = true;
    cx.stop_pump("done");
    return;
  case K::Error:
    if (committed_ && stream_) {
      failure_ = ev.failure;
      failure_detail_ = ev.text;
      stream_->fail(upstream_error(ev.failure, ""));
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
    break; // progress: rendered as reasoning
  case K::Source: assembler().on_event(std::move(ev)); return;
  default: break;
  }
  commit(cx);
  assembler().on_event(std::move(ev));
}

void ChatSink::deliver_links(Ctx &cx, const std::vector<std::string> &links) {
  cx_ = &cx;
  std::vector<grok::Event> images = std::move(waiting_images_);
  waiting_images_.clear();
  paused_ = false;
  size_t next = 0;
  for (auto &ev : images) {
    if (next < links.size()) ev.url = links[next++];
    if (ev.kind == grok::Event::Kind::Video && !ev.thumb.empty() && next < links.size())
      ev.thumb = links[next++];
    commit(cx);
    assembler().on_event(std::move(ev));
  }
  while (!queue_.empty() && !paused_ && !done_ && !failed()) {
    grok::Event ev = std::move(queue_.front());
    queue_.pop_front();
    dispatch(cx, std::move(ev));
  }
  write_out(cx);
}

void ChatSink::fail_stream(Ctx &cx, const ApiError &e) {
  if (!stream_ || !committed_ || stream_->ended()) return;
  stream_->fail(e);
  write_out(cx);
  out_.clear();
}

void ChatSink::finish_stream(Ctx &cx) {
  if (!stream_) return;
  commit(cx);
  if (!stream_->ended()) stream_->finish("stop");
  cx.write(out_);
  out_.clear();
}

const std::string &ChatSink::content() const {
  return stream_ ? stream_->content_so_far() : json_->content_so_far();
}

std::string ChatSink::render_json() const { return json_ ? json_->render("stop") : std::string(); }

} // namespace g2a::app
