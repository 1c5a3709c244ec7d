// SievingRenderer: the tool-call sieve (tools/sieve.h) in front of a client API's renderer, used
// only when a request offers tools (a request without tools keeps its plain renderer, so the
// sieve costs it nothing). Text events pass through the sieve; what it decides comes out as Text
// and ToolCall events (answer/events.h) to the inner renderer, which writes them its API's way.
// Blank space next to calls is not shown: whitespace-only text is held until visible text
// follows; before the first call it is shown only when text was shown before it (it ends that
// text); text after a call starts at its first visible character; after a call, trailing blank
// space goes. So what a client sees does not depend on how the answer was chunked. finish(): a
// completed answer with a call ends with StopReason::ToolCalls. Everything else is forwarded
// unchanged.
// A call the request requires (tool_choice required / any / a named tool): the answer is held —
// every event the inner renderer would get is queued, and holding() keeps the sink from
// committing — until the first call, which releases the queue in order. An answer that ends
// without a call is decided by the attempt: lacks_required_call() (the sieve's held bytes are
// decided first) tells it to ask again with the stronger prompt before anything was sent; or
// finish() releases the queue as it is (the honest answer: its text, a normal stop).
#pragma once

#include "answer/conversation.h"
#include "answer/renderer.h"
#include "tools/sieve.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace g2a::tools {

class SievingRenderer : public answer::Renderer {
public:
  // `tools` must outlive the renderer; `new_id` mints a call id in the API's form.
  // `require_call`: hold the answer until its first call (above).
  SievingRenderer(std::unique_ptr<answer::Renderer> inner,
                  std::vector<const answer::ToolSpec *> tools, bool parallel,
                  std::function<std::string()> new_id, bool require_call = false);

  void on_event(answer::Event &&ev) override;
  bool streaming() const override { return inner_->streaming(); }
  std::string_view content_type() const override { return inner_->content_type(); }
  void begin() override { inner_->begin(); }
  void flush() override { inner_->flush(); }
  void finish(answer::StopReason reason) override;
  void fail(const ApiError &e) override { inner_->fail(e); }
  bool ended() const override { return inner_->ended(); }
  // Held bytes always come out at finish() (as text or a call), so they count as output.
  bool has_output() const override {
    return inner_->has_output() || sieve_.held() > 0 || !blank_.empty() || !queue_.empty();
  }
  answer::Usage usage() const override { return inner_->usage(); }
  const std::string &content() const override { return inner_->content(); }
  std::string_view pending() const override { return inner_->pending(); }
  void clear_pending() override { inner_->clear_pending(); }
  std::string body() const override { return inner_->body(); }
  void keepalive() override { inner_->keepalive(); }
  bool holding() const override { return holding_ || inner_->holding(); }
  bool lacks_required_call() override;
  std::string output_problem() override;

  size_t calls() const { return sieve_.calls(); }

private:
  void deliver(std::vector<Piece> &pieces);
  void text(std::string s);
  void call(Piece &p);
  // To the inner renderer, or queued while the answer is held.
  void forward(answer::Event &&ev);
  void release();
  // The answer is complete: the sieve decides what it still holds (once).
  void settle();

  std::unique_ptr<answer::Renderer> inner_;
  Sieve sieve_;
  std::function<std::string()> new_id_;
  std::vector<Piece> pieces_;        // scratch
  std::string blank_;                // whitespace-only text held back
  bool called_ = false;              // a call was made
  bool after_call_ = false;          // nothing visible since the last call
  bool shown_ = false;               // visible text was shown
  bool holding_ = false;             // a call is required and none was made yet: events are queued
  bool settled_ = false;             // the sieve finished
  std::vector<answer::Event> queue_; // held events, in order
};

// The renderer for one attempt's answer: `inner` itself when the conversation offers no tools
// and asks for no JSON output format; else `inner` behind a JsonOutputRenderer
// (tools/json_output.h) for a JSON format and/or a sieve for the offered tools; call ids are
// `id_base` + "_" + a counter.
std::unique_ptr<answer::Renderer> with_tools(std::unique_ptr<answer::Renderer> inner,
                                             const answer::Conversation &conv, std::string id_base);

} // namespace g2a::tools
