// SievingRenderer (see sieving_renderer.h).
#include "tools/sieving_renderer.h"

#include "tools/json_output.h"
#include "tools/prompt.h"

#include <utility>

namespace g2a::tools {
namespace {

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

} // namespace

SievingRenderer::SievingRenderer(std::unique_ptr<answer::Renderer> inner,
                                 std::vector<const answer::ToolSpec *> tools, bool parallel,
                                 std::function<std::string()> new_id, bool require_call)
    : inner_(std::move(inner)), sieve_(std::move(tools), parallel), new_id_(std::move(new_id)),
      holding_(require_call) {}

void SievingRenderer::forward(answer::Event &&ev) {
  if (holding_)
    queue_.push_back(std::move(ev));
  else
    inner_->on_event(std::move(ev));
}

void SievingRenderer::release() {
  holding_ = false;
  for (auto &ev : queue_) inner_->on_event(std::move(ev));
  queue_.clear();
}

void SievingRenderer::settle() {
  if (settled_) return;
  settled_ = true;
  sieve_.finish(pieces_);
  deliver(pieces_);
}

bool SievingRenderer::lacks_required_call() {
  settle();
  return holding_;
}

std::string SievingRenderer::output_problem() {
  settle();
  return inner_->output_problem();
}

void SievingRenderer::text(std::string s) {
  if (after_call_) { // the text after a call starts at its first visible character
    size_t a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos) return;
    s.erase(0, a);
    after_call_ = false;
  }
  if (blank(s)) {
    blank_ += s;
    return;
  }
  if (!blank_.empty()) s.insert(0, std::exchange(blank_, {}));
  shown_ = true;
  answer::Event ev;
  ev.kind = answer::Event::Kind::Text;
  ev.text = std::move(s);
  forward(std::move(ev));
}

void SievingRenderer::call(Piece &p) {
  // Blank space before a call ends the text shown before it; with no text before, it goes.
  if (!blank_.empty() && shown_ && !called_) {
    answer::Event ev;
    ev.kind = answer::Event::Kind::Text;
    ev.text = std::move(blank_);
    forward(std::move(ev));
  }
  blank_.clear();
  release(); // a required call was made: what was held goes out before it
  called_ = after_call_ = true;
  answer::Event ev;
  ev.kind = answer::Event::Kind::ToolCall;
  ev.id = new_id_();
  ev.title = std::move(p.name);
  ev.text = std::move(p.arguments);
  if (p.freeform) ev.ref = "custom";
  inner_->on_event(std::move(ev));
}

void SievingRenderer::deliver(std::vector<Piece> &pieces) {
  for (auto &p : pieces) {
    if (p.kind == Piece::Kind::Text) {
      text(std::move(p.raw));
    } else if (p.kind == Piece::Kind::Call) {
      call(p);
    }
    // Dropped: a call over the parallel limit, or an imagined tool result.
  }
  pieces.clear();
}

void SievingRenderer::on_event(answer::Event &&ev) {
  if (ev.kind != answer::Event::Kind::Text) {
    forward(std::move(ev));
    return;
  }
  sieve_.feed(ev.text, pieces_);
  deliver(pieces_);
}

void SievingRenderer::finish(answer::StopReason reason) {
  settle();
  release(); // no call after all: the answer as it is
  if (!blank_.empty() && !called_) {
    answer::Event ev;
    ev.kind = answer::Event::Kind::Text;
    ev.text = std::move(blank_);
    inner_->on_event(std::move(ev));
  }
  blank_.clear();
  inner_->finish(called_ && reason == answer::StopReason::Stop ? answer::StopReason::ToolCalls
                                                               : reason);
}

std::unique_ptr<answer::Renderer> with_tools(std::unique_ptr<answer::Renderer> inner,
                                             const answer::Conversation &conv,
                                             std::string id_base) {
  if (conv.format.type != answer::OutputFormat::Type::Text)
    inner = std::make_unique<JsonOutputRenderer>(std::move(inner), conv.format);
  if (!offers_tools(conv)) return inner;
  auto n = std::make_shared<int>(0);
  using M = answer::ToolChoice::Mode;
  bool require = conv.tool_choice.mode == M::Required || conv.tool_choice.mode == M::Named;
  return std::make_unique<SievingRenderer>(
      std::move(inner), offered_tools(conv), conv.parallel_tool_calls,
      [n, base = std::move(id_base)]() { return base + "_" + std::to_string((*n)++); }, require);
}

} // namespace g2a::tools
