// ChatCompletionsRenderer: forwards to the stream or JSON renderer it was built with.
#include "openai/chat_renderer.h"

#include <utility>

namespace g2a::openai {

const char *finish_reason_name(answer::StopReason r) {
  switch (r) {
  case answer::StopReason::Length:
    return "length";
  case answer::StopReason::ToolCalls:
    return "tool_calls";
  case answer::StopReason::ContentFilter:
    return "content_filter";
  case answer::StopReason::Stop:
    break;
  }
  return "stop";
}

ChatCompletionsRenderer::ChatCompletionsRenderer(ChatRenderOptions opt, bool stream)
    : delivered_(opt.delivered) {
  if (stream)
    stream_ = std::make_unique<ChatStreamRenderer>(std::move(opt), out_);
  else
    json_ = std::make_unique<ChatJsonRenderer>(std::move(opt));
}

const ChatAssembler &ChatCompletionsRenderer::assembler() const {
  if (stream_) return *stream_;
  return *json_;
}

void ChatCompletionsRenderer::on_event(answer::Event &&ev) {
  if (stream_)
    stream_->on_event(std::move(ev));
  else
    json_->on_event(std::move(ev));
}

std::string_view ChatCompletionsRenderer::content_type() const {
  return stream_ ? "text/event-stream; charset=utf-8" : "application/json";
}

void ChatCompletionsRenderer::begin() {
  if (stream_) stream_->begin();
}

void ChatCompletionsRenderer::flush() {
  if (stream_) stream_->flush();
}

void ChatCompletionsRenderer::finish(answer::StopReason reason) {
  finish_reason_ = finish_reason_name(reason);
  finished_ = true;
  if (stream_ && !stream_->ended()) stream_->finish(finish_reason_);
  if (delivered_) {
    const ChatAssembler &a = assembler();
    delivered_->role = "assistant";
    delivered_->text = a.final_content();
    delivered_->tool_calls.clear();
    for (const auto &c : a.tool_calls())
      delivered_->tool_calls.push_back({c.id, c.name, c.arguments});
  }
}

void ChatCompletionsRenderer::fail(const ApiError &e) {
  if (stream_ && !stream_->ended()) stream_->fail(e);
}

bool ChatCompletionsRenderer::ended() const {
  return stream_ ? stream_->ended() : finished_;
}

void ChatCompletionsRenderer::keepalive() {
  if (stream_ && !stream_->ended()) out_ += ": keep-alive\n\n";
}

std::string ChatCompletionsRenderer::body() const {
  return json_ ? json_->render(finish_reason_) : std::string();
}

} // namespace g2a::openai
