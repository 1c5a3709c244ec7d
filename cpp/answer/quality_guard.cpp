// QualityGuard (see quality_guard.h). A loop is found with the prefix function of the reversed
// tail: for each suffix length L of the tail, L - pi[L-1] is the suffix's smallest period p; a
// suffix of at least `repeats` copies of a span of at least `min_span` bytes is a loop. One
// search is linear in the window and runs every kCheckEvery appended bytes.
#include "answer/quality_guard.h"

#include <algorithm>

namespace g2a::answer {

const char *quality_name(Quality q) {
  switch (q) {
  case Quality::Ok:
    return "ok";
  case Quality::Empty:
    return "empty";
  case Quality::Loop:
    return "loop";
  case Quality::ReasoningLoop:
    return "reasoning_loop";
  case Quality::NoReasoning:
    return "no_reasoning";
  }
  return "ok";
}

bool LoopWatch::add(std::string_view delta) {
  if (found_ || delta.empty() || repeats_ < 2 || min_span_ == 0) return found_;
  tail_.append(delta);
  if (tail_.size() > 2 * kWindow) tail_.erase(0, tail_.size() - kWindow);
  since_check_ += delta.size();
  if (since_check_ < kCheckEvery) return false;
  since_check_ = 0;
  return found_ = check();
}

bool LoopWatch::flush() {
  if (found_ || since_check_ == 0 || repeats_ < 2 || min_span_ == 0) return found_;
  since_check_ = 0;
  return found_ = check();
}

bool LoopWatch::check() {
  size_t n = std::min(tail_.size(), kWindow);
  size_t need = min_span_ * static_cast<size_t>(repeats_);
  if (n < need) return false;
  rev_.assign(tail_.rbegin(), tail_.rbegin() + static_cast<std::ptrdiff_t>(n));
  pi_.assign(n, 0);
  for (size_t i = 1; i < n; ++i) {
    unsigned k = pi_[i - 1];
    while (k > 0 && rev_[i] != rev_[k]) k = pi_[k - 1];
    if (rev_[i] == rev_[k]) ++k;
    pi_[i] = k;
    size_t len = i + 1;
    size_t period = len - k;
    if (len >= need && period >= min_span_ && len >= period * static_cast<size_t>(repeats_))
      return true;
  }
  return false;
}

QualityGuard::QualityGuard(QualityLimits limits)
    : limits_(limits), text_(limits.loop_min_span, limits.loop_repeats),
      reasoning_(limits.loop_min_span, limits.loop_repeats) {}

Quality QualityGuard::on_event(const Event &ev) {
  if (verdict_ != Quality::Ok) return verdict_;
  switch (ev.kind) {
  case Event::Kind::Text:
    if (ev.text.empty()) break;
    if (text_bytes_ == 0 && limits_.expect_reasoning && reasoning_bytes_ == 0)
      return verdict_ = Quality::NoReasoning;
    text_bytes_ += ev.text.size();
    if (text_.add(ev.text)) verdict_ = Quality::Loop;
    break;
  case Event::Kind::Reasoning:
    reasoning_bytes_ += ev.text.size();
    if (reasoning_.add(ev.text)) verdict_ = Quality::ReasoningLoop;
    break;
  case Event::Kind::Image:
  case Event::Kind::Video:
    media_ = true;
    break;
  default:
    break;
  }
  return verdict_;
}

Quality QualityGuard::on_done() {
  if (verdict_ != Quality::Ok) return verdict_;
  if (text_.flush())
    verdict_ = Quality::Loop;
  else if (reasoning_.flush())
    verdict_ = Quality::ReasoningLoop;
  else if (text_bytes_ == 0 && !media_)
    verdict_ = Quality::Empty;
  return verdict_;
}

} // namespace g2a::answer
