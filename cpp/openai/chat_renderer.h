// Chat Completions as an answer::Renderer: `chat.completion.chunk` SSE (ChatStreamRenderer) or
// one `chat.completion` object (ChatJsonRenderer), chosen at construction.
#pragma once

#include "answer/renderer.h"
#include "openai/chat_render.h"

#include <memory>
#include <string>

namespace g2a::openai {

class ChatCompletionsRenderer : public answer::Renderer {
public:
  ChatCompletionsRenderer(ChatRenderOptions opt, bool stream);

  void on_event(answer::Event &&ev) override;
  bool streaming() const override { return stream_ != nullptr; }
  std::string_view content_type() const override;
  void begin() override;
  void flush() override;
  void finish(answer::StopReason reason) override;
  void fail(const ApiError &e) override;
  bool ended() const override;
  bool has_output() const override { return assembler().has_output(); }
  answer::Usage usage() const override { return assembler().usage(); }
  const std::string &content() const override { return assembler().content_so_far(); }
  std::string_view pending() const override { return out_; }
  void clear_pending() override { out_.clear(); }
  std::string body() const override;
  void keepalive() override; // ": keep-alive" (an SSE comment: every SSE client skips it)

private:
  const ChatAssembler &assembler() const;
  std::shared_ptr<answer::Turn> delivered_;
  std::string out_;
  std::unique_ptr<ChatStreamRenderer> stream_;
  std::unique_ptr<ChatJsonRenderer> json_;
  std::string finish_reason_ = "stop";
  bool finished_ = false;
};

// "stop" | "length" | "tool_calls" | "content_filter"
const char *finish_reason_name(answer::StopReason r);

} // namespace g2a::openai
