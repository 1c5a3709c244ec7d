// Placeholder-aware answer text (see answer_text.h).
#include "grok/answer_text.h"
#include "core/text.h"

#include <bit>
#include <cstdint>
#include <cstring>

namespace g2a::grok {

namespace {

constexpr std::string_view kOpen = "<grok:render";
constexpr std::string_view kClose = "</grok:render>";

// The value of attribute `name` in an opening tag (`name="v"` or `name='v'`).
std::string_view attr(std::string_view tag, std::string_view name) {
  size_t at = 0;
  while ((at = tag.find(name, at)) != std::string_view::npos) {
    bool word_start = at > 0 && (tag[at - 1] == ' ' || tag[at - 1] == '\t' || tag[at - 1] == '\n');
    size_t eq = at + name.size();
    at = eq;
    if (!word_start || eq + 1 >= tag.size() || tag[eq] != '=') continue;
    char q = tag[eq + 1];
    if (q != '"' && q != '\'') continue;
    size_t end = tag.find(q, eq + 2);
    if (end == std::string_view::npos) return {};
    return tag.substr(eq + 2, end - eq - 2);
  }
  return {};
}

} // namespace

void AnswerText::push(std::string_view token) {
  if (token.empty()) return;
  if (held_.empty()) {
    size_t lt = token.find('<');
    if (lt == std::string_view::npos) { // the common case: plain text
      Event ev;
      ev.kind = Event::Kind::Text;
      ev.text = token;
      emitted_ = true;
      out_.on_event(std::move(ev));
      return;
    }
    text_.assign(token.substr(0, lt));
    scan(token.substr(lt), 0);
  } else {
    text_.clear();
    std::string work = std::move(held_);
    held_.clear();
    size_t from = held_search_;
    work.append(token);
    scan(work, from);
  }
  flush_text();
}

void AnswerText::finish() {
  if (!held_.empty()) {
    text_.assign(held_);
    held_.clear();
    flush_text();
  }
}

void AnswerText::scan(std::string_view s, size_t close_from) {
  while (!s.empty()) {
    // Invariant: s[0] == '<'.
    size_t next_from = 1;
    if (s.size() < kOpen.size()) {
      if (kOpen.substr(0, s.size()) == s) return hold(s, 0);
    } else if (s.substr(0, kOpen.size()) == kOpen) {
      size_t gt = s.find('>', kOpen.size());
      size_t end = std::string_view::npos;
      if (gt != std::string_view::npos && s[gt - 1] == '/') {
        end = gt + 1; // self-closing
      } else if (gt != std::string_view::npos) {
        size_t close = s.find(kClose, close_from > gt ? close_from : gt);
        if (close != std::string_view::npos) end = close + kClose.size();
      }
      if (end == std::string_view::npos) {
        if (s.size() <= kMaxHeld) {
          size_t searched = s.size() >= kClose.size() ? s.size() - kClose.size() + 1 : 0;
          return hold(s, gt == std::string_view::npos ? 0 : searched);
        }
        next_from = s.size(); // too long to be a placeholder: plain text
      } else {
        flush_text();
        placeholder(s.substr(0, gt + 1));
        s.remove_prefix(end);
        size_t lt = s.find('<');
        text_.append(s.substr(0, lt));
        if (lt == std::string_view::npos) return;
        s.remove_prefix(lt);
        close_from = 0;
        continue;
      }
    }
    size_t lt = s.find('<', next_from);
    text_.append(s.substr(0, lt));
    if (lt == std::string_view::npos) return;
    s.remove_prefix(lt);
    close_from = 0;
  }
}

void AnswerText::hold(std::string_view s, size_t close_from) {
  held_.assign(s);
  held_search_ = close_from;
}

void AnswerText::placeholder(std::string_view tag) {
  if (cards_.render(attr(tag, "card_id"), attr(tag, "type"))) emitted_ = true;
}

void AnswerText::flush_text() {
  if (text_.empty()) return;
  Event ev;
  ev.kind = Event::Kind::Text;
  ev.text = std::move(text_);
  text_.clear();
  emitted_ = true;
  out_.on_event(std::move(ev));
}

void lower_tags(std::vector<std::string> &tags) {
  for (auto &t : tags)
    for (auto &c : t) c = text::lower(c);
}

namespace {

// The next i in [from, last] where token[i] is `first` (a lower-case byte) in either case, or
// npos: eight bytes at a time (one pass for both cases; memchr is a byte loop in wasm). For a
// letter, OR-ing 0x20 folds only its upper case onto it; the lowest marked byte of a word is
// the first hit (a borrow only marks bytes above a marked one; little-endian words).
size_t find_folded(std::string_view token, char first, size_t from, size_t last) {
  constexpr uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
  bool letter = first >= 'a' && first <= 'z';
  uint64_t fold = letter ? ones * 0x20 : 0;
  uint64_t want = ones * static_cast<uint8_t>(first);
  const char *p = token.data();
  size_t i = from;
  for (; i + 8 <= last + 1; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    w = (w | fold) ^ want;
    uint64_t hit = (w - ones) & ~w & high;
    if (hit) return i + static_cast<size_t>(std::countr_zero(hit) / 8);
  }
  for (; i <= last; ++i)
    if (text::lower(p[i]) == first) return i;
  return std::string_view::npos;
}

} // namespace

bool has_filtered_tag(std::string_view token, const std::vector<std::string> &lowered_tags) {
  for (const auto &tag : lowered_tags) {
    if (tag.empty() || tag.size() > token.size()) continue;
    size_t last = token.size() - tag.size(); // the last start that fits
    for (size_t i = find_folded(token, tag[0], 0, last); i != std::string_view::npos;
         i = i < last ? find_folded(token, tag[0], i + 1, last) : std::string_view::npos) {
      size_t j = 1;
      while (j < tag.size() && text::lower(token[i + j]) == tag[j]) ++j;
      if (j == tag.size()) return true;
    }
  }
  return false;
}

void ReasoningText::push(std::string_view text, bool own_line) {
  if (text.empty()) return;
  Event ev;
  ev.kind = Event::Kind::Reasoning;
  if (own_line) {
    if (any_ && !at_line_) ev.text += '\n';
    ev.text += text;
    if (ev.text.back() != '\n') ev.text += '\n';
  } else {
    ev.text = text;
  }
  any_ = true;
  at_line_ = ev.text.back() == '\n';
  out_.on_event(std::move(ev));
}

} // namespace g2a::grok
