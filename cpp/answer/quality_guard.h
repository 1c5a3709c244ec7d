// QualityGuard: answers that look fine to HTTP but are broken. Fed the neutral events of one
// attempt, it notices
//   - a loop: the same span (at least `loop_min_span` bytes) repeated `loop_repeats` times in a
//     row at the end of the answer text, or of the reasoning text (each watched on its own);
//   - no reasoning from a mode that always reasons (the first answer text arrives with no
//     reasoning before it);
//   - an empty answer (done with no text, reasoning or media).
// The verdict is sticky (the first problem found). What to do with it is the caller's: before
// the first byte reached the client the attempt is retried once on another account; after it a
// loop is cut (the answer ends with the API's "length" stop). Pure: no I/O, no clock.
#pragma once

#include "answer/events.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::answer {

struct QualityLimits {
  size_t loop_min_span = 24;     // shortest span whose repetition counts as a loop
  int loop_repeats = 8;          // consecutive copies of it that make a loop
  bool expect_reasoning = false; // the mode always reasons
};

enum class Quality { Ok, Empty, Loop, ReasoningLoop, NoReasoning };
// "ok", "empty", "loop", "reasoning_loop", "no_reasoning".
const char *quality_name(Quality q);

// Watches one channel (answer text or reasoning) for a tail that repeats.
class LoopWatch {
public:
  LoopWatch(size_t min_span, int repeats) : min_span_(min_span), repeats_(repeats) {}
  // Appends a delta; true once a loop is found (checked every few hundred bytes).
  bool add(std::string_view delta);
  bool found() const { return found_; }
  // Searches the bytes appended since the last search (the end of the channel).
  bool flush();

  static constexpr size_t kWindow = 16384;   // the tail searched (a loop must fit in it)
  static constexpr size_t kCheckEvery = 256; // bytes appended between two searches

private:
  bool check();
  size_t min_span_;
  int repeats_;
  std::string tail_;         // the last bytes (at most 2 × kWindow)
  std::string rev_;          // scratch: the window reversed
  std::vector<unsigned> pi_; // scratch: its prefix function
  size_t since_check_ = 0;
  bool found_ = false;
};

class QualityGuard {
public:
  explicit QualityGuard(QualityLimits limits = {});
  // One event of the attempt, before it is rendered; returns the verdict so far.
  Quality on_event(const Event &ev);
  // The attempt completed (Done): checks for an empty answer; returns the verdict.
  Quality on_done();
  Quality verdict() const { return verdict_; }
  bool saw_text() const { return text_bytes_ > 0; }

private:
  QualityLimits limits_;
  LoopWatch text_, reasoning_;
  size_t text_bytes_ = 0, reasoning_bytes_ = 0;
  bool media_ = false;
  Quality verdict_ = Quality::Ok;
};

} // namespace g2a::answer
