// Token estimates (the documented rule, pinned by examples) and the usage object's shape.
#include "openai/usage.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace g2a;
using namespace g2a::openai;

TEST(OpenAIUsage, EstimatesAsciiWordsAndPunctuation) {
  EXPECT_EQ(estimate_tokens(""), 0);
  EXPECT_EQ(estimate_tokens("   \n\t "), 0);
  EXPECT_EQ(estimate_tokens("a"), 1);
  EXPECT_EQ(estimate_tokens("word"), 1);
  EXPECT_EQ(estimate_tokens("hello"), 2);         // 5 letters -> ceil(5/4)
  EXPECT_EQ(estimate_tokens("hi there"), 3);      // hi(1) there(2)
  EXPECT_EQ(estimate_tokens("Hello, world!"), 6); // Hello(2) ,(1) world(2) !(1)
  EXPECT_EQ(estimate_tokens("internationalization"), 5);
  EXPECT_EQ(estimate_tokens("2+2=4"), 5);
}

TEST(OpenAIUsage, EstimatesCjkAndOtherScripts) {
  EXPECT_EQ(estimate_tokens("\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97"), 3);             // 中文字
  EXPECT_EQ(estimate_tokens("\xE3\x81\x93\xE3\x82\x93"), 2);                         // こん
  EXPECT_EQ(estimate_tokens("\xEC\x95\x88\xEB\x85\x95"), 2);                         // 안녕
  EXPECT_EQ(estimate_tokens("\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"), 3); // привет
  EXPECT_EQ(estimate_tokens("caf\xC3\xA9"), 2);      // c a f + é(2) = 5 units
  EXPECT_EQ(estimate_tokens("\xF0\x9F\x98\x80"), 1); // emoji
  EXPECT_EQ(estimate_tokens("a\xE3\x80\x80"
                            "b"),
            2);                              // ideographic space is free
  EXPECT_EQ(estimate_tokens("\xFF\xFE"), 2); // ill-formed bytes: one each
}

TEST(OpenAIUsage, IsDeterministicAndMonotonicOnAppend) {
  std::string s = "The quick brown fox jumps over the lazy dog. ";
  long long one = estimate_tokens(s);
  EXPECT_EQ(one, estimate_tokens(s));
  EXPECT_EQ(estimate_tokens(s + s), 2 * one);
}

TEST(OpenAIUsage, UsageJsonShape) {
  Usage u;
  u.prompt = 12;
  u.completion = 30;
  u.reasoning = 8;
  EXPECT_EQ(dump(usage_json(u)), R"({"prompt_tokens":12,"completion_tokens":30,"total_tokens":42,)"
                                 R"("prompt_tokens_details":{"cached_tokens":0},)"
                                 R"("completion_tokens_details":{"reasoning_tokens":8}})");
  EXPECT_EQ(dump(usage_json(Usage{})),
            R"({"prompt_tokens":0,"completion_tokens":0,"total_tokens":0,)"
            R"("prompt_tokens_details":{"cached_tokens":0},)"
            R"("completion_tokens_details":{"reasoning_tokens":0}})");
}

// TokenCounter gives estimate_tokens of the whole text for every way of cutting it: two
// pieces at every offset, and many one-, two- and three-byte pieces — cuts inside words, inside
// UTF-8 sequences, and around ill-formed bytes (a lead byte whose sequence never completes, a
// stray continuation byte, a truncated sequence at the very end).
TEST(OpenAIUsage, CounterMatchesTheWholeTextForEverySplit) {
  const std::vector<std::string> texts = {
      "The quick brown fox, 42 times!",
      "caf\xC3\xA9 \xE6\xB5\x81\xE5\xBC\x8F \xF0\x9F\x98\x80 \xD0\xBF\xD1\x80\xD0\xB8 x",
      "a\xE3\x80\x80"
      "b\xC2\xA0"
      "c",
      "\xE4\xB8"
      "A\xFF\x80"
      "B\xF0\x9F\x98",
      "\xE4",
      "word\xC3",
      "\xF4\x90\x80\x80 \xED\xA0\x80 \xC0\xAF",
  };
  for (const auto &t : texts) {
    const long long want = estimate_tokens(t);
    for (size_t cut = 0; cut <= t.size(); ++cut) {
      TokenCounter c;
      c.add(std::string_view(t).substr(0, cut));
      c.add(std::string_view(t).substr(cut));
      EXPECT_EQ(c.total(), want) << "cut at " << cut << " of " << testing::PrintToString(t);
    }
    for (size_t step = 1; step <= 3; ++step) {
      TokenCounter c;
      for (size_t i = 0; i < t.size(); i += step) c.add(std::string_view(t).substr(i, step));
      EXPECT_EQ(c.total(), want) << "pieces of " << step << " of " << testing::PrintToString(t);
    }
    TokenCounter c; // total() in the middle does not change what follows
    c.add(std::string_view(t).substr(0, t.size() / 2));
    (void)c.total();
    c.add(std::string_view(t).substr(t.size() / 2));
    EXPECT_EQ(c.total(), want);
  }
}
