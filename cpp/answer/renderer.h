// The client half of an answer: neutral Events in, one client API's bytes out. There is one
// renderer per client API and form — Chat Completions SSE and JSON today, OpenAI Responses and
// Anthropic Messages next — and the sink that drives a renderer (app/answer_sink.h) never asks
// which. A renderer includes nothing named after an upstream.
#pragma once

#include "answer/events.h"
#include "answer/usage.h"
#include "http/api_error.h"

#include <string>
#include <string_view>

namespace g2a::answer {

// Why a complete answer ended.
enum class StopReason { Stop, Length, ToolCalls, ContentFilter };

class Renderer : public EventSink {
public:
  // Streamed (SSE) or one body at the end.
  virtual bool streaming() const = 0;
  // The content type of the committed response.
  virtual std::string_view content_type() const = 0;
  // The answer starts: a stream's opening events (implied by the first output if not called).
  virtual void begin() = 0;
  // The end of one upstream chunk: close what is open, so one chunk gives one block of bytes.
  virtual void flush() = 0;
  // The answer is complete: a stream's closing events, or the body is ready.
  virtual void finish(StopReason reason) = 0;
  // A failure after the answer began (streams only): one error event; nothing follows.
  virtual void fail(const ApiError &e) = 0;
  virtual bool ended() const = 0;
  // Anything visible yet (content, or reasoning shown to the client).
  virtual bool has_output() const = 0;
  virtual Usage usage() const = 0;
  // The answer's text so far.
  virtual const std::string &content() const = 0;
  // Streamed: the bytes produced since the last clear_pending(), as a view valid until the
  // renderer is next called. The sink writes them and clears them, so the buffer keeps its
  // capacity from chunk to chunk (no allocation per chunk).
  virtual std::string_view pending() const = 0;
  virtual void clear_pending() = 0;
  // The pending bytes as a string, cleared (tests, and callers that keep them).
  std::string take() {
    std::string out(pending());
    clear_pending();
    return out;
  }
  // Not streamed, after finish(): the whole response body.
  virtual std::string body() const = 0;
  // A stream gone quiet (the upstream thinking, a slow tool): bytes that keep the client and
  // the proxies between from timing out, written between events — an SSE comment, or the API's
  // own ping event. Nothing once ended, nothing for a body.
  virtual void keepalive() = 0;

  // Decisions about a held answer (tools/sieving_renderer.h, tools/json_output.h); a renderer
  // that holds nothing keeps the defaults.
  // True while the answer is held back for a decision: nothing may reach the client yet, so the
  // sink does not commit (start the client response) and the attempt can still be retried.
  virtual bool holding() const { return false; }
  // Once the upstream answer is complete, before finish(): true when it makes no tool call
  // although the request requires one (tool_choice required / any / a named tool).
  virtual bool lacks_required_call() { return false; }
  // Once the upstream answer is complete, before finish(): why the answer cannot be given as
  // the strict structured output asked for (empty when it can).
  virtual std::string output_problem() { return {}; }
};

} // namespace g2a::answer
