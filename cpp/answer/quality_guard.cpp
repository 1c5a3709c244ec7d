// QualityGuard (see quality_guard.h). LoopWatch proposes a period where the last K bytes occurred
// before and counts the bytes that repeat it; the latest earlier occurrence of a K-gram is at
// most one period back, so inside a loop the period proposed is the loop's smallest one, and a
// span whose K-grams all recur closer than min_span (a separator line, "| - | - ") proposes
// nothing. A hash collision is caught by comparing the K bytes before a period is taken.
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

LoopWatch::LoopWatch(size_t min_span, int repeats) : min_span_(min_span), repeats_(repeats) {
  if (!enabled()) return;
  gram_ = std::min(min_span_, kMaxGram);
  max_period_ = kWindow / static_cast<size_t>(repeats_);
  for (size_t i = 0; i < gram_; ++i) drop_ *= 257u;
}

bool LoopWatch::add(std::string_view delta) {
  if (found_ || delta.empty() || !enabled() || max_period_ < min_span_) return found_;
  if (last_seen_.empty()) last_seen_.assign(size_t{1} << kSlotsLog2, 0);
  if (tail_.size() + delta.size() > 2 * kWindow) {
    size_t keep = std::min(tail_.size(), kWindow);
    tail_start_ += tail_.size() - keep;
    tail_.erase(0, tail_.size() - keep);
  }
  for (char ch : delta) {
    const size_t at = tail_start_ + tail_.size(); // this byte's offset in the channel
    const auto c = static_cast<unsigned char>(ch);
    tail_.push_back(ch);
    const size_t i = tail_.size() - 1; // its index in tail_
    if (period_ != 0) {
      run_ = i >= period_ && tail_[i - period_] == ch ? run_ + 1 : 0;
      if (run_ >= period_ * static_cast<size_t>(repeats_ - 1)) return found_ = true;
    }
    hash_ = hash_ * 257u + c + 1;
    if (i >= gram_) hash_ -= drop_ * (static_cast<unsigned char>(tail_[i - gram_]) + 1u);
    if (at + 1 < gram_) continue;
    uint32_t &slot = last_seen_[(hash_ * 2654435761u) >> (32 - kSlotsLog2)];
    const size_t prev = slot; // 1 + the end of the K-gram's last occurrence, 0 = none
    slot = static_cast<uint32_t>(at + 1);
    if (prev == 0 || run_ != 0) continue;
    const size_t d = at + 1 - prev;
    if (d < min_span_ || d > max_period_ || d > i + 1 - gram_) continue;
    if (tail_.compare(i + 1 - gram_, gram_, tail_, i + 1 - gram_ - d, gram_) != 0) continue;
    period_ = d;
    run_ = gram_;
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
