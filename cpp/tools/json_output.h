// Structured output (answer::OutputFormat json_object / json_schema) over a text-only upstream:
// the prompt asks for one JSON object (tools/prompt.h); JsonOutputRenderer, in front of the
// API's renderer, holds the answer text to the end, cuts the first JSON object out of it (prose
// and code fences around it dropped), repairs it as tool arguments are repaired and checks it
// against the schema (tools/arguments.h), and hands the inner renderer that compact JSON as the
// answer's one text. When no object can be recovered the text goes through unchanged —
// except for a `strict` json_schema: then the whole answer is held (holding(): the client
// response does not start) and output_problem() says why it cannot be given, for the attempt
// to answer with invalid_structured_output() instead of JSON that breaks the schema (an answer
// that made a tool call instead is not held to the format).
// Everything else (reasoning, tool calls, sources, …) is forwarded as it comes.
#pragma once

#include "answer/conversation.h"
#include "answer/renderer.h"
#include "http/api_error.h"
#include "tools/arguments.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace g2a::tools {

// The first JSON object in `text`, repaired and checked against `schema_json` ("" = any object).
std::optional<std::string> extract_json_object(std::string_view text, std::string_view schema_json);
// The same with the reason when it fails ("no JSON object in the answer", or the repair's or
// the schema check's error).
Arguments extract_json(std::string_view text, std::string_view schema_json);

// 502 server_error invalid_structured_output: a strict schema's answer could not be recovered
// (`problem` says why). Not the client's mistake, and not the account's.
ApiError invalid_structured_output(std::string_view problem);

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
  std::string_view pending() const override { return inner_->pending(); }
  void clear_pending() override { inner_->clear_pending(); }
  std::string body() const override { return inner_->body(); }
  void keepalive() override { inner_->keepalive(); }
  bool holding() const override { return strict() && !finished_; }
  bool lacks_required_call() override { return inner_->lacks_required_call(); }
  std::string output_problem() override;

private:
  bool strict() const {
    return format_.strict && format_.type == answer::OutputFormat::Type::JsonSchema;
  }
  // The held text, cut and checked (once).
  const Arguments &settle();

  std::unique_ptr<answer::Renderer> inner_;
  answer::OutputFormat format_;
  std::string held_;
  std::optional<Arguments> result_;
  bool called_ = false; // a tool call went through: the answer is not held to the format
  bool finished_ = false;
};

} // namespace g2a::tools
