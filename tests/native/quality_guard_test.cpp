// The quality guard (answer/quality_guard.h): loops in the answer and in the reasoning (each on
// its own, with the configured span and repeat thresholds, at any delta size), no loop in
// ordinary text or in short-period runs, exactly at the threshold, late in a long answer, a span
// that repeats words within itself, reasoning expected but missing, empty answers.
#include "answer/quality_guard.h"

#include <gtest/gtest.h>

#include <string>

using namespace g2a::answer;

namespace {

Event text(std::string t) {
  Event e;
  e.kind = Event::Kind::Text;
  e.text = std::move(t);
  return e;
}
Event reasoning(std::string t) {
  Event e;
  e.kind = Event::Kind::Reasoning;
  e.text = std::move(t);
  return e;
}

// Feeds `s` as text (or reasoning) deltas of `piece` bytes; the verdict after the last one.
Quality feed(QualityGuard &g, const std::string &s, size_t piece, bool as_reasoning = false) {
  Quality q = Quality::Ok;
  for (size_t at = 0; at < s.size(); at += piece) {
    std::string d = s.substr(at, piece);
    q = g.on_event(as_reasoning ? reasoning(d) : text(d));
  }
  return q;
}

std::string repeat(const std::string &s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

const std::string kSpan = "The river bends and the river bends again. "; // 43 bytes

std::string prose(size_t bytes) {
  // Ordinary text: no span repeats back to back.
  std::string out;
  for (int i = 0; out.size() < bytes; ++i)
    out += "Sentence number " + std::to_string(i) + " says something about item " +
           std::to_string(i * 7 % 13) + ". ";
  return out;
}

} // namespace

TEST(QualityGuard, Names) {
  EXPECT_STREQ(quality_name(Quality::Ok), "ok");
  EXPECT_STREQ(quality_name(Quality::Empty), "empty");
  EXPECT_STREQ(quality_name(Quality::Loop), "loop");
  EXPECT_STREQ(quality_name(Quality::ReasoningLoop), "reasoning_loop");
  EXPECT_STREQ(quality_name(Quality::NoReasoning), "no_reasoning");
}

TEST(QualityGuard, OrdinaryTextIsOk) {
  for (size_t piece : {1u, 7u, 64u, 4096u}) {
    QualityGuard g;
    EXPECT_EQ(feed(g, prose(20000), piece), Quality::Ok) << piece;
    EXPECT_EQ(g.on_done(), Quality::Ok);
  }
}

TEST(QualityGuard, LoopInTheAnswerIsFoundAtAnyDeltaSize) {
  for (size_t piece : {1u, 5u, 43u, 300u, 5000u}) {
    QualityGuard g;
    std::string s = prose(500) + repeat(kSpan, 12);
    Quality q = feed(g, s, piece);
    if (q == Quality::Ok) q = g.on_done(); // the tail after the last periodic search
    EXPECT_EQ(q, Quality::Loop) << piece;
  }
}

TEST(QualityGuard, RepeatsBelowTheThresholdAreNotALoop) {
  QualityGuard g({.loop_min_span = 24, .loop_repeats = 8});
  EXPECT_EQ(feed(g, prose(300) + repeat(kSpan, 7) + prose(300), 50), Quality::Ok);
  EXPECT_EQ(g.on_done(), Quality::Ok);
  QualityGuard strict({.loop_min_span = 24, .loop_repeats = 6});
  std::string s = prose(300) + repeat(kSpan, 7);
  Quality q = feed(strict, s, 50);
  if (q == Quality::Ok) q = strict.on_done();
  EXPECT_EQ(q, Quality::Loop);
}

TEST(QualityGuard, ShortPeriodRunsAreNotLoops) {
  // A separator line or a run of one character repeats a span shorter than loop_min_span.
  QualityGuard g;
  EXPECT_EQ(feed(g, "Table:\n" + std::string(3000, '=') + "\n" + repeat("| - ", 500), 100),
            Quality::Ok);
  EXPECT_EQ(g.on_done(), Quality::Ok);
}

TEST(QualityGuard, ReasoningLoopIsWatchedSeparately) {
  QualityGuard g;
  Quality q = feed(g, repeat("Let me reconsider the previous step once more. ", 20), 16, true);
  if (q == Quality::Ok) q = g.on_done();
  EXPECT_EQ(q, Quality::ReasoningLoop);
  // Text that repeats what the reasoning said is not a loop of either.
  QualityGuard h;
  std::string half = repeat(kSpan, 5);
  EXPECT_EQ(feed(h, half, 10, true), Quality::Ok);
  EXPECT_EQ(feed(h, half, 10), Quality::Ok);
  EXPECT_EQ(h.on_done(), Quality::Ok);
}

TEST(QualityGuard, MissingReasoningWhenExpected) {
  QualityGuard g({.expect_reasoning = true});
  EXPECT_EQ(g.on_event(text("Hello")), Quality::NoReasoning);
  QualityGuard ok({.expect_reasoning = true});
  EXPECT_EQ(ok.on_event(reasoning("thinking")), Quality::Ok);
  EXPECT_EQ(ok.on_event(text("Hello")), Quality::Ok);
  EXPECT_EQ(ok.on_done(), Quality::Ok);
  QualityGuard not_expected;
  EXPECT_EQ(not_expected.on_event(text("Hello")), Quality::Ok);
}

TEST(QualityGuard, EmptyAnswers) {
  QualityGuard none;
  EXPECT_EQ(none.on_done(), Quality::Empty);
  QualityGuard empty_deltas;
  empty_deltas.on_event(text(""));
  EXPECT_EQ(empty_deltas.on_done(), Quality::Empty);
  QualityGuard reasoning_only;
  reasoning_only.on_event(reasoning("hmm"));
  EXPECT_EQ(reasoning_only.on_done(), Quality::Empty);
  QualityGuard image;
  Event img;
  img.kind = Event::Kind::Image;
  img.url = "u";
  image.on_event(img);
  EXPECT_EQ(image.on_done(), Quality::Ok);
}

TEST(QualityGuard, VerdictIsSticky) {
  QualityGuard g({.expect_reasoning = true});
  EXPECT_EQ(g.on_event(text("x")), Quality::NoReasoning);
  EXPECT_EQ(g.on_event(reasoning("late")), Quality::NoReasoning);
  EXPECT_EQ(g.on_done(), Quality::NoReasoning);
}

TEST(QualityGuard, ALoopLongerThanTheWindowIsNotClaimed) {
  // A "span" longer than window / repeats cannot be seen repeating: no false claim either way.
  std::string big = prose(LoopWatch::kWindow / 4);
  QualityGuard g;
  Quality q = feed(g, repeat(big, 3), 1000);
  if (q == Quality::Ok) q = g.on_done();
  EXPECT_EQ(q, Quality::Ok);
}

TEST(QualityGuard, ExactlyTheThresholdAtTheEndIsALoopAtAnyDeltaSize) {
  for (size_t piece : {1u, 3u, 43u, 1000u}) {
    QualityGuard g({.loop_min_span = 24, .loop_repeats = 8});
    Quality q = feed(g, prose(700) + repeat(kSpan, 8), piece);
    if (q == Quality::Ok) q = g.on_done();
    EXPECT_EQ(q, Quality::Loop) << piece;
    QualityGuard below({.loop_min_span = 24, .loop_repeats = 8});
    q = feed(below, prose(700) + repeat(kSpan, 7) + kSpan.substr(0, 40), piece);
    if (q == Quality::Ok) q = below.on_done();
    EXPECT_EQ(q, Quality::Ok) << piece << ": 7 copies and most of an 8th are not 8";
  }
}

TEST(QualityGuard, ALoopLateInALongAnswerIsFound) {
  // Far past the window: the tail kept is trimmed, offsets stay right.
  QualityGuard g;
  std::string s = prose(5 * LoopWatch::kWindow) + repeat("Tell me again what the tide said. ", 9);
  Quality q = feed(g, s, 37);
  if (q == Quality::Ok) q = g.on_done();
  EXPECT_EQ(q, Quality::Loop);
}

TEST(QualityGuard, ALoopWhoseSpanRepeatsWithinItselfIsFound) {
  // The span holds the same words twice (an earlier occurrence closer than one period).
  const std::string span = "go on and on and on, go on and on and on, then stop. ";
  QualityGuard g;
  Quality q = feed(g, prose(300) + repeat(span, 9), 11);
  if (q == Quality::Ok) q = g.on_done();
  EXPECT_EQ(q, Quality::Loop);
}
