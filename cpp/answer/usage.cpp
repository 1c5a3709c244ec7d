// Token estimation (see usage.h for the rule).
#include "answer/usage.h"

#include <algorithm>
#include <cstdint>

namespace g2a::answer {
namespace {

// Decodes one well-formed UTF-8 sequence at s[i]; returns its length, or 0 if ill-formed.
size_t decode(std::string_view s, size_t i, uint32_t &cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || c > 0xF4 || i + len > s.size()) return 0;
  cp = c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  static constexpr uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

} // namespace

size_t TokenCounter::scan(std::string_view s, bool final) {
  auto end_word = [&] {
    tokens_ += (units_ + 3) / 4;
    units_ = 0;
  };
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        ++units_;
        continue;
      }
      end_word();
      if (c > ' ' && c != 0x7F) ++tokens_;
      continue;
    }
    size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (!final && want > 0 && c <= 0xF4 && i + want > s.size()) return i; // wait for the rest
    uint32_t cp = 0;
    size_t len = decode(s, i, cp);
    if (len == 0) {
      end_word();
      ++tokens_;
      ++i;
      continue;
    }
    i += len;
    if (cp < 0x2000 && cp >= 0xC0) {
      units_ += 2;
      continue;
    }
    end_word();
    bool space = cp == 0x85 || cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B) ||
                 cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F;
    if (!space) ++tokens_; // CJK, kana, Hangul, symbol, emoji: one each
  }
  return i;
}

void TokenCounter::add(std::string_view s) {
  if (s.empty()) return;
  if (!pending_.empty()) {
    // The cut sequence and enough of the new piece to finish it (at most 3 bytes).
    std::string head = pending_ + std::string(s.substr(0, std::min<size_t>(s.size(), 3)));
    size_t head_in = head.size() - pending_.size();
    pending_.clear();
    size_t used = scan(head, false);
    if (used < head.size() && used < head.size() - head_in) {
      // still cut (the new piece was shorter than the sequence): keep waiting
      pending_ = head.substr(used);
      return;
    }
    size_t from_s = used - (head.size() - head_in); // bytes of s consumed by the head
    s.remove_prefix(from_s);
  }
  size_t used = scan(s, false);
  if (used < s.size()) pending_.assign(s.substr(used));
}

long long TokenCounter::total() const {
  TokenCounter t = *this;
  if (!t.pending_.empty()) t.scan(t.pending_, true);
  return t.tokens_ + (t.units_ + 3) / 4;
}

long long estimate_tokens(std::string_view s) {
  TokenCounter t;
  t.scan(s, true);
  return t.tokens_ + (t.units_ + 3) / 4;
}

} // namespace g2a::answer
