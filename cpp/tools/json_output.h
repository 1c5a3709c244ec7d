// Structured output (answer::OutputFormat json_object / json_schema) over a text-only upstream:
// the prompt asks for one JSON object (tools/prompt.h); JsonOutputRenderer, in front of the
// API's renderer, holds the answer text to the end, cuts the first JSON object out of it (prose
// and code fences around it dropped), repairs it as tool arguments are repaired and checks it
// against the schema (tools/arguments.h), and hands the inner renderer that compact JSON as the
// answer's one text. When no object can be recovered the text goes through unchanged.
// Everything else (reasoning, tool calls, sources, …) is forwarded as it comes.
#pragma once

#include "answer/conversation.h"
#include "answer/renderer.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace g2a::tools {

// The first JSON object in `text`, repaired and checked against `schema_json` ("" = any object).
std::optional<std::string> extract_json_object(std::string_view text, std::string_view schema_json);

class JsonOutputRenderer : public answer::Renderer {
public:
  JsonOutputRenderer(std::unique_ptr<answer::Renderer> inner, answer::OutputFormat format);

  void on_event(answer::Event &&ev) override;
  bool streaming() const override { return inner_->streaming(); }
  std::string_view content_type() const override { return inner_->content_type(); }
  void begin() override { inner_->begin(); }
  void flush() override { inner_->flush(); }
  void finish(answer::StopReason reason) override;
  void fail(const ApiError &e) override { inner_->fail(e); }
  bool ended() const override { return inner_->ended(); }
  bool has_output() const override { return inner_->has_output() || !held_.empty(); }
  answer::Usage usage() const override { return inner_->usage(); }
  const std::string &content() const override { return inner_->content(); }
  std::string take() override { return inner_->take(); }
  std::string body() const override { return inner_->body(); }
  void keepalive() override { inner_->keepalive(); }

private:
  std::unique_ptr<answer::Renderer> inner_;
  answer::OutputFormat format_;
  std::string held_;
};

} // namespace g2a::tools
