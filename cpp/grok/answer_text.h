// The text paths shared by the decoders. AnswerText passes answer tokens through as Text events,
// except `<grok:render …>…</grok:render>` placeholders, which are replaced through the
// CardCache (citations become Citation events; images, files and unknown cards vanish).
// A placeholder may be split across tokens: text from an unclosed `<grok:render` (or a token
// ending in a prefix of it) is held back until it closes, at most kMaxHeld bytes, after which
// it is released as plain text. ReasoningText emits reasoning deltas, putting step titles
// (REST `messageTag:"header"`, mgw notetaker headers and progress reports) on their own lines.
#pragma once

#include "grok/card_cache.h"
#include "grok/neutral.h"

#include <string>
#include <string_view>
#include <vector>

namespace g2a::grok {

class AnswerText {
public:
  static constexpr size_t kMaxHeld = 4096;

  AnswerText(EventSink &out, CardCache &cards) : out_(out), cards_(cards) {}

  void push(std::string_view token);        // one answer token
  void finish();                            // the answer ended: held-back text is released as Text
  bool emitted() const { return emitted_; } // any Text or Citation emitted

private:
  void scan(std::string_view s, size_t close_from); // s starts with '<'
  void placeholder(std::string_view tag);
  void hold(std::string_view s, size_t close_from);
  void flush_text();

  EventSink &out_;
  CardCache &cards_;
  std::string held_;       // possible/unfinished placeholder, starts with '<'
  size_t held_search_ = 0; // held_ bytes already searched for the closing tag
  std::string text_;       // text gathered during one push, emitted as one Text event
  bool emitted_ = false;
};

// Lower-cases filter tags once; then has_filtered_tag() tests a token against them
// (ASCII case-insensitive), as DecodeOptions::filtered_tags asks.
void lower_tags(std::vector<std::string> &tags);
bool has_filtered_tag(std::string_view token, const std::vector<std::string> &lowered_tags);

class ReasoningText {
public:
  explicit ReasoningText(EventSink &out) : out_(out) {}
  void push(std::string_view text, bool own_line);

private:
  EventSink &out_;
  bool any_ = false;     // reasoning emitted so far
  bool at_line_ = false; // the last emitted reasoning ended with '\n'
};

} // namespace g2a::grok
