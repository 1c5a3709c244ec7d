// Token usage of an answer, for every client API. Grok's web app reports no token counts, so
// they are estimated with a cheap, deterministic rule (no tokenizer tables, same answer
// everywhere):
//   - ASCII letters and digits form word runs; a run of L units costs ceil(L / 4) tokens;
//   - letters from U+00C0 to U+1FFF (accented Latin, Greek, Cyrillic, Hebrew, Arabic, Indic,
//     Thai, ...) join word runs but weigh 2 units each (BPE splits them about twice as often);
//   - every code point from U+2000 up costs 1 (a CJK ideograph, kana or Hangul syllable is
//     about one token; so are symbols and emoji, roughly);
//   - ASCII punctuation, Latin-1 symbols (U+0080..U+00BF) and each byte of ill-formed UTF-8
//     cost 1;
//   - whitespace (ASCII, NBSP, U+2000..U+200B, ideographic space, ...) costs nothing: BPE
//     merges it into the next token.
// Images are not text: callers add their own per-image cost to prompt tokens.
#pragma once

#include <string>
#include <string_view>

namespace g2a::answer {

long long estimate_tokens(std::string_view utf8);

// The same estimate over text that arrives in pieces: after add(a), add(b), … total() equals
// estimate_tokens(a + b + …) for any split, even one inside a UTF-8 sequence (its first bytes
// wait for the rest). One pass over each byte, so a long answer is not rescanned at the end.
class TokenCounter {
public:
  void add(std::string_view utf8);
  long long total() const;

private:
  long long tokens_ = 0;
  long long units_ = 0; // of the current word run
  std::string pending_; // the first bytes of a UTF-8 sequence cut by the end of a piece
  // Consumes s; with `final` a cut sequence at the end is taken as ill-formed, else it is
  // returned (its offset) to wait for the next piece.
  size_t scan(std::string_view s, bool final);
  friend long long estimate_tokens(std::string_view utf8);
};

struct Usage {
  long long prompt = 0;
  long long completion = 0; // all generated tokens, reasoning included
  long long reasoning = 0;  // the reasoning part of `completion`
};

} // namespace g2a::answer
