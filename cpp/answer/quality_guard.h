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
#include <cstdint>
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

// Watches one channel (answer text or reasoning) for a tail that repeats. Linear in the text
// (a few operations per byte, whatever the delta sizes): every byte updates a rolling hash of
// the last K bytes (K = min(min_span, 16)); where that K-gram last occurred proposes a period
// (a distance from min_span to kWindow / repeats, checked byte for byte), and the run of bytes
// that equal the byte one period back is counted. A run of (repeats - 1) periods is a suffix
// made of `repeats` copies: a loop.
class LoopWatch {
public:
  LoopWatch(size_t min_span, int repeats);
  // Appends a delta; true once a loop is found.
  bool add(std::string_view delta);
  bool found() const { return found_; }
  // The channel ended: true when a loop was found (kept for callers; add() sees every byte).
  bool flush() { return found_; }

  static constexpr size_t kWindow = 16384; // a loop (repeats × its period) must fit in it

private:
  static constexpr size_t kMaxGram = 16;
  static constexpr unsigned kSlotsLog2 = 12;
  bool enabled() const { return repeats_ >= 2 && min_span_ > 0; }
  size_t min_span_;
  int repeats_;
  size_t gram_ = 0, max_period_ = 0;
  uint32_t hash_ = 0, drop_ = 1;    // the K-gram's hash; base^K (to drop the oldest byte)
  std::string tail_;                // the last bytes (at most 2 × kWindow)
  size_t tail_start_ = 0;           // the offset in the channel of tail_[0]
  std::vector<uint32_t> last_seen_; // hash slot → 1 + where a K-gram with it last ended
  size_t period_ = 0, run_ = 0;     // the period proposed, bytes equal to one period back
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
