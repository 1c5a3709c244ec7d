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
  SievingRenderer(std::unique_ptr<answer::Renderer> inner,
                  std::vector<const answer::ToolSpec *> tools, bool parallel,
                  std::function<std::string()> new_id);

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
    return inner_->has_output() || sieve_.held() > 0 || !blank_.empty();
  }
  answer::Usage usage() const override { return inner_->usage(); }
  const std::string &content() const override { return inner_->content(); }
  std::string take() override { return inner_->take(); }
  std::string body() const override { return inner_->body(); }
  void keepalive() override { inner_->keepalive(); }

  size_t calls() const { return sieve_.calls(); }

private:
  void deliver(std::vector<Piece> &pieces);
  void text(std::string s);
  void call(Piece &p);

  std::unique_ptr<answer::Renderer> inner_;
  Sieve sieve_;
  std::function<std::string()> new_id_;
  std::vector<Piece> pieces_; // scratch
  std::string blank_;         // whitespace-only text held back
  bool called_ = false;       // a call was made
  bool after_call_ = false;   // nothing visible since the last call
  bool shown_ = false;        // visible text was shown
};

// The renderer for one attempt's answer: `inner` itself when the conversation offers no tools
// and asks for no JSON output format; else `inner` behind a JsonOutputRenderer
// (tools/json_output.h) for a JSON format and/or a sieve for the offered tools; call ids are
// `id_base` + "_" + a counter.
std::unique_ptr<answer::Renderer> with_tools(std::unique_ptr<answer::Renderer> inner,
                                             const answer::Conversation &conv, std::string id_base);

} // namespace g2a::tools
