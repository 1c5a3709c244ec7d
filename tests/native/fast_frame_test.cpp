// The strict one-pass readers (grok/rest_fast_frame.h, grok/mgw_fast_frame.h): which lines
// they take and which they leave to simdjson, and that every line they take reads exactly as
// simdjson reads it (escapes, UTF-8, numbers, duplicates, nesting, blanks, buffer edges).
// tests/fuzz/fast_frame_fuzz.cpp checks the same on arbitrary bytes.
#include "frame_describe.h"
#include "grok/mgw_fast_frame.h"
#include "grok/padded_buffer.h"
#include "grok/rest_fast_frame.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <memory>

using namespace g2a;
using namespace g2a::grok;

namespace {

// Both readers on one line (the fast one from an allocation of exactly its size, so ASan
// catches over-reads). Returns simdjson's verdict; `fast` says whether the fast path took it.
struct Rest {
  bool fast = false;
  simdjson::error_code slow = simdjson::SUCCESS;
  std::string fast_frame, slow_frame;
  std::string token; // the fast path's token, copied
};

Rest rest(std::string_view line) {
  Rest r;
  std::unique_ptr<char[]> exact(new char[line.size() + 1]);
  std::memcpy(exact.get(), line.data(), line.size());
  UnescapeBuffer buf;
  RestFrame a, b;
  r.fast = read_rest_fast(exact.get(), line.size(), buf, a);
  if (r.fast) {
    r.fast_frame = test::describe(a);
    r.token = std::string(a.token);
  }
  PaddedBuffer padded;
  padded.assign(line);
  simdjson::ondemand::parser parser;
  r.slow = read_rest_frame(parser, padded.data(), padded.size(), padded.capacity(), true, b);
  if (!r.slow) r.slow_frame = test::describe(b);
  return r;
}

struct Mgw {
  bool fast = false;
  simdjson::error_code slow = simdjson::SUCCESS;
  std::string fast_frame, slow_frame;
};

Mgw mgw(std::string_view frame) {
  Mgw r;
  std::unique_ptr<char[]> exact(new char[frame.size() + 1]);
  std::memcpy(exact.get(), frame.data(), frame.size());
  UnescapeBuffer buf;
  MgwFrame a, b;
  r.fast = read_mgw_fast(exact.get(), frame.size(), buf, a);
  if (r.fast) r.fast_frame = test::describe(a);
  PaddedBuffer padded;
  padded.assign(frame);
  simdjson::ondemand::parser parser;
  r.slow = read_mgw_frame(parser, padded.data(), padded.size(), padded.capacity(), b);
  if (!r.slow) r.slow_frame = test::describe(b);
  return r;
}

// Taken by the fast path, and read exactly as simdjson reads it.
void expect_fast(std::string_view line) {
  SCOPED_TRACE(std::string(line));
  Rest r = rest(line);
  EXPECT_TRUE(r.fast);
  EXPECT_EQ(r.slow, simdjson::SUCCESS);
  EXPECT_EQ(r.fast_frame, r.slow_frame);
}

// Left to simdjson (whatever simdjson then decides).
simdjson::error_code expect_declined(std::string_view line) {
  SCOPED_TRACE(std::string(line));
  Rest r = rest(line);
  EXPECT_FALSE(r.fast);
  return r.slow;
}

std::string token_line(std::string_view token_json) {
  return R"({"result":{"response":{"token":)" + std::string(token_json) +
         R"(,"isThinking":false,"isSoftStop":false,"messageTag":"final","responseId":"a1b2c3d4-0000-4000-8000-000000000002"}}})";
}

const char *const kThinking =
    R"({"result":{"response":{"token":" the","isThinking":true,"isSoftStop":false,"messageTag":"summary","messageStepId":0,"responseId":"r-1"}}})";

} // namespace

TEST(RestFastFrame, TakesTokenLinesAndReadsThemAsSimdjsonDoes) {
  expect_fast(token_line(R"(" word")"));
  expect_fast(kThinking);
  expect_fast(R"({"result":{"response":{"token":"","isThinking":true,"messageTag":"header"}}})");
  expect_fast(R"({"result":{"token":"wrapper-less","isSoftStop":true}})");
  expect_fast(R"({"result":{"response":{"isSoftStop":true,"responseId":"r"}}})");
  Rest r = rest(token_line(R"(" word")"));
  EXPECT_EQ(r.token, " word");
  EXPECT_NE(r.fast_frame.find("has_token=4:true"), std::string::npos);
  EXPECT_NE(r.fast_frame.find("message_tag=5:final"), std::string::npos);
}

TEST(RestFastFrame, PlainStringsPointIntoTheLine) {
  std::string line = token_line(R"(" word")");
  UnescapeBuffer buf;
  RestFrame f;
  ASSERT_TRUE(read_rest_fast(line.data(), line.size(), buf, f));
  EXPECT_GE(f.token.data(), line.data());
  EXPECT_LT(f.token.data(), line.data() + line.size());
}

TEST(RestFastFrame, SimpleEscapesAreUnescapedLikeSimdjson) {
  expect_fast(token_line(R"("\n\n")"));
  expect_fast(token_line(R"(" \"quoted\" ")"));
  expect_fast(token_line(R"("a\\b\/c\bd\fe\rf\tg")"));
  expect_fast(token_line(R"("\\")"));
  expect_fast(token_line(R"("\\\\\"")"));
  expect_fast(token_line(R"("\"")"));
  expect_fast(token_line(R"("x\n")"));
  expect_fast(
      R"({"result":{"response":{"token":"a\nb","messageTag":"fi\"nal","responseId":"\\"}}})");
  EXPECT_EQ(rest(token_line(R"("a\"b\\c\nd")")).token, "a\"b\\c\nd");
  // Two escaped strings in one line do not overwrite each other.
  Rest r = rest(R"({"result":{"response":{"token":"one\n","messageTag":"two\t"}}})");
  EXPECT_TRUE(r.fast);
  EXPECT_EQ(r.fast_frame, r.slow_frame);
}

TEST(RestFastFrame, UnicodeEscapesAndUnknownEscapesGoToSimdjson) {
  EXPECT_EQ(expect_declined(token_line(R"("\u0041")")), simdjson::SUCCESS);
  EXPECT_EQ(expect_declined(token_line(R"("\ud83d\ude00")")), simdjson::SUCCESS);
  EXPECT_NE(expect_declined(token_line(R"("\ud800")")), simdjson::SUCCESS); // lone surrogate
  EXPECT_NE(expect_declined(token_line(R"("\x41")")), simdjson::SUCCESS);
  EXPECT_NE(expect_declined(token_line(R"("\)")), simdjson::SUCCESS);
}

TEST(RestFastFrame, ValidUtf8IsTakenInvalidUtf8IsLeftToSimdjson) {
  expect_fast(token_line("\"\xE6\xB5\x81\xE5\xBC\x8F\""));          // 流式
  expect_fast(token_line("\"\xC3\xA9\""));                          // é
  expect_fast(token_line("\"\xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF\"")); // U+1F600, U+10FFFF
  expect_fast(token_line("\"\xED\x9F\xBF\xEE\x80\x80\""));          // U+D7FF, U+E000
  expect_fast(token_line("\"\x7F\""));                              // DEL is not a control byte
  for (const char *bad : {"\xC0\x80", "\xC1\xBF", "\xE0\x9F\xBF", "\xED\xA0\x80",
                          "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF",
                          "\x80", "\xC3", "\xE6\xB5", "\xC3\x28", "\xE6\x28\x81", "\xF0\x9F\x98"}) {
    SCOPED_TRACE(bad);
    EXPECT_NE(expect_declined(token_line("\"a" + std::string(bad) + "b\"")), simdjson::SUCCESS);
  }
  // Escapes followed by a multi-byte character.
  expect_fast(token_line("\"\\n\xE6\xB5\x81\""));
}

TEST(RestFastFrame, RawControlBytesAreLeftToSimdjson) {
  for (char c : {'\0', '\x01', '\t', '\n', '\x1F'}) {
    std::string tok = std::string("\"a") + c + "b\"";
    EXPECT_NE(expect_declined(token_line(tok)), simdjson::SUCCESS);
  }
}

TEST(RestFastFrame, UnbalancedAndTrailingInputIsLeftToSimdjson) {
  std::string good = token_line(R"(" word")");
  EXPECT_NE(expect_declined(good.substr(0, good.size() - 1)), simdjson::SUCCESS);
  expect_declined(good + "}");
  expect_declined(good + " x");
  expect_declined(good + "{}");
  EXPECT_NE(expect_declined(R"({"result":{"response":{"token":" word"}})"), simdjson::SUCCESS);
  EXPECT_NE(expect_declined(R"({"result":{"response":{"token":" word})"), simdjson::SUCCESS);
  EXPECT_NE(expect_declined(R"({"result":{"response":{"token":" word)"), simdjson::SUCCESS);
  EXPECT_NE(expect_declined(R"({"result":{"response":{"token":" word",}}})"), simdjson::SUCCESS);
  EXPECT_NE(expect_declined(R"({"result":{"response":{"token" " word"}}})"), simdjson::SUCCESS);
  EXPECT_NE(expect_declined(R"({"result":{"response":{"token":" word" "a":1}}})"),
            simdjson::SUCCESS);
  expect_declined(R"({"result":{"response":{"token":" word"]}})");
  expect_declined("{");
  expect_declined("");
  expect_declined("[]");
  expect_declined(R"("just a string")");
}

TEST(RestFastFrame, BlanksAroundEveryTokenAreJsonWhitespace) {
  expect_fast(
      " \t{ \"result\" :\r{\"response\"\t:{ \"token\" : \" a \" , \"isThinking\" : true } } }\r ");
  expect_fast("{}");
  expect_fast("{ }");
  // A form feed or vertical tab is not JSON whitespace.
  expect_declined("{\f\"result\":{}}");
  expect_declined("{\"result\":{}}\v");
}

TEST(RestFastFrame, IgnoredFieldsAreValidatedAndSkipped) {
  expect_fast(
      R"({"result":{"response":{"token":"a","messageStepId":0,"rolloutId":"x","other":[1,2.5,-3e+7,true,false,null,{"k":[{}]},[]]},"title":"t"},"x":{"y":"z"}})");
  expect_fast(
      R"({"result":{"response":{"token":"a","n":-0.0e-0,"m":123456789012345678901234567890}}})");
  // Huge numbers are only skipped: valid JSON whatever their size.
  expect_fast(R"({"result":{"response":{"token":"a","n":1e999999,"m":-18446744073709551616}}})");
  // Numbers simdjson skips without reading, but that are not JSON: simdjson decides.
  for (const char *num :
       {"01", "1.", ".5", "-", "+1", "1e", "1e+", "0x10", "NaN", "Infinity", "--1", "1.2.3"}) {
    SCOPED_TRACE(num);
    expect_declined(std::string(R"({"result":{"response":{"token":"a","messageStepId":)") + num +
                    "}}}");
  }
  // Literals must be whole atoms.
  expect_declined(R"({"result":{"response":{"token":"a","x":truex}}})");
  expect_declined(R"({"result":{"response":{"token":"a","x":nul}}})");
  expect_declined(R"({"result":{"response":{"token":"a","x":True}}})");
}

TEST(RestFastFrame, FieldsOfOtherTypesAreIgnoredAsSimdjsonIgnoresThem) {
  expect_fast(
      R"({"result":{"response":{"token":["arrays","are","skipped"],"messageTag":7,"responseId":null}}})");
  expect_fast(R"({"result":{"response":{"token":{"t":1},"isThinking":"yes","isSoftStop":null}}})");
  expect_fast(R"({"result":"not an object"})");
  expect_fast(R"({"result":{"response":[1,2]}})");
  // A number as a boolean counts as its truth value: simdjson reads it.
  EXPECT_EQ(expect_declined(R"({"result":{"response":{"token":"a","isThinking":1}}})"),
            simdjson::SUCCESS);
}

TEST(RestFastFrame, DuplicateFieldsKeepTheLastAsSimdjsonDoes) {
  expect_fast(
      R"({"result":{"response":{"token":"a","token":"b","isThinking":true,"isThinking":false}}})");
  expect_fast(R"({"result":{"response":{"token":"a"}},"result":{"response":{"messageTag":"m"}}})");
  EXPECT_EQ(rest(R"({"result":{"response":{"token":"a","token":"b"}}})").token, "b");
}

TEST(RestFastFrame, FieldsItDoesNotReadGoToSimdjson) {
  for (const char *k : {"modelResponse", "userResponse", "finalMetadata", "webSearchResults",
                        "xposts", "cardAttachment", "cardAttachmentsJson", "conversation", "error",
                        "streamingImageGenerationResponse", "toolUsageCardId"}) {
    SCOPED_TRACE(k);
    expect_declined(std::string(R"({"result":{"response":{"token":"a",")") + k + R"(":{}}}})");
    expect_declined(std::string(R"({"result":{")") + k + R"(":{}}})");
  }
  expect_declined(R"({"error":{"code":3,"message":"m"}})");
  // A key with an escape is compared raw by simdjson; this path does not compare those.
  expect_declined(R"({"result":{"response":{"tok\u0065n":"a"}}})");
  // Other keys are compared raw too: any valid UTF-8 key is ignored like simdjson ignores it.
  expect_fast("{\"result\":{\"response\":{\"t\xC3\xA9\":\"a\",\"token\":\"b\"}}}");
  EXPECT_NE(expect_declined("{\"result\":{\"response\":{\"t\xC3\":\"a\"}}}"), simdjson::SUCCESS);
  EXPECT_NE(expect_declined("{\"result\":{\"response\":{\"t\x01\":\"a\"}}}"), simdjson::SUCCESS);
}

TEST(RestFastFrame, NestingDeeperThanItSkipsGoesToSimdjson) {
  std::string deep = "1";
  for (int i = 0; i < 12; ++i) deep = "[" + deep + "]";
  EXPECT_EQ(expect_declined(R"({"result":{"response":{"token":"a","x":)" + deep + "}}}"),
            simdjson::SUCCESS);
  std::string ok = "1";
  for (int i = 0; i < 6; ++i) ok = "[" + ok + "]";
  expect_fast(R"({"result":{"response":{"token":"a","x":)" + ok + "}}}");
}

TEST(RestFastFrame, StringsOfEveryLengthEndingAtTheBufferEdge) {
  // The eight-byte scan near the end of an exact allocation (ASan: no over-read), with the
  // special byte at every offset of the word.
  for (size_t n = 0; n < 40; ++n) {
    std::string body(n, 'x');
    expect_fast(R"({"result":{"token":")" + body + "\"}}");
    for (size_t at = 0; at < n; ++at) {
      std::string esc = body;
      esc.replace(at, 1, "\\\"");
      expect_fast(R"({"result":{"token":")" + esc + "\"}}");
      std::string utf = body;
      utf.replace(at, 1, "\xC3\xA9");
      expect_fast(R"({"result":{"token":")" + utf + "\"}}");
    }
    // Cut inside the string: unclosed.
    std::string cut = R"({"result":{"token":")" + body;
    expect_declined(cut);
    expect_declined(cut + "\\");
  }
}

TEST(RestFastFrame, MegabyteTokenReadsAsSimdjsonReadsIt) {
  std::string big(1 << 20, 'a');
  for (size_t i = 0; i < big.size(); i += 997) big[i] = ' ';
  expect_fast(token_line("\"" + big + "\""));
  EXPECT_EQ(rest(token_line("\"" + big + "\"")).token, big);
}

namespace {

// A stream's token lines through one tail memo, each read exactly as simdjson reads it alone.
void expect_stream_reads_as_simdjson(const std::vector<std::string> &lines, RestTailMemo &memo,
                                     const std::vector<bool> &taken) {
  UnescapeBuffer buf;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string &line = lines[i];
    SCOPED_TRACE(line);
    std::unique_ptr<char[]> exact(new char[line.size() + 1]);
    std::memcpy(exact.get(), line.data(), line.size());
    RestFrame a, b;
    bool fast = read_rest_fast(exact.get(), line.size(), buf, a, &memo);
    EXPECT_EQ(fast, static_cast<bool>(taken[i]));
    PaddedBuffer padded;
    padded.assign(line);
    simdjson::ondemand::parser parser;
    auto err = read_rest_frame(parser, padded.data(), padded.size(), padded.capacity(), true, b);
    if (fast) {
      EXPECT_EQ(err, simdjson::SUCCESS);
      EXPECT_EQ(test::describe(a), test::describe(b));
    }
  }
}

} // namespace

TEST(RestFastFrame, TokenLinesWithTheSameTailReadLikeTheFirst) {
  RestTailMemo memo;
  std::vector<std::string> lines;
  for (const char *tok :
       {R"(" a")", R"("b\n")", R"("\u0041")", R"(" \"c\"")", R"("")", "\"\xE6\xB5\x81\""})
    lines.push_back(token_line(tok));
  expect_stream_reads_as_simdjson(lines, memo, {true, true, false, true, true, true});
  EXPECT_TRUE(memo.valid);
  EXPECT_EQ(memo.tail,
            token_line(R"("")").substr(std::string(R"({"result":{"response":{"token":"")").size()));
}

TEST(RestFastFrame, ATailThatDiffersIsReadAgain) {
  RestTailMemo memo;
  expect_stream_reads_as_simdjson(
      {
          token_line(R"("a")"),
          R"({"result":{"response":{"token":"b","isThinking":true,"isSoftStop":false,"messageTag":"final","responseId":"a1b2c3d4-0000-4000-8000-000000000002"}}})",
          R"({"result":{"response":{"token":"c","isThinking":true,"isSoftStop":false,"messageTag":"final","responseId":"a1b2c3d4-0000-4000-8000-000000000003"}}})",
          R"({"result":{"response":{"token":"d","isThinking":true,"isSoftStop":false,"messageTag":"final","responseId":"a1b2c3d4-0000-4000-8000-000000000003"}}} )",
          R"({"result":{"response":{"token":"e","messageStepId":3},"x":1}})",
          R"({"result":{"response":{"token":"f","messageStepId":3},"x":1}})",
          R"({"result":{"response":{"token":"g"}}})",
          R"({"result":{"response":{"token":"h"}}})",
      },
      memo, {true, true, true, true, true, true, true, true});
}

TEST(RestFastFrame, ATailThatSetsTheTokenAgainOrHasEscapesStaysExact) {
  RestTailMemo memo;
  expect_stream_reads_as_simdjson(
      {
          R"({"result":{"response":{"token":"a","token":"override"}}})",
          R"({"result":{"response":{"token":"b","token":"override"}}})",
          R"({"result":{"response":{"token":"c","token":["not","a","string"]}}})",
          R"({"result":{"response":{"token":"d","token":["not","a","string"]}}})",
          R"({"result":{"response":{"token":"e","messageTag":"esc\"aped","responseId":"r\n"}}})",
          R"({"result":{"response":{"token":"f","messageTag":"esc\"aped","responseId":"r\n"}}})",
          R"({"result":{"response":{"token":"g","messageTag":"","responseId":""}}})",
          R"({"result":{"response":{"token":"h","messageTag":"","responseId":""}}})",
      },
      memo, {true, true, true, true, true, true, true, true});
}

TEST(RestFastFrame, ALineTheTailMemoCannotTakeLeavesNoStaleTail) {
  RestTailMemo memo;
  std::string good = token_line(R"("a")");
  std::string tail_bad = R"({"result":{"response":{"token":"b","isThinking":1}}})"; // simdjson's
  std::string prefix_bad = R"({"result":{"response":{"token":7,"isThinking":true}}})";
  std::string unclosed = good.substr(0, good.size() - 1);
  expect_stream_reads_as_simdjson(
      {good, tail_bad, good, prefix_bad, good, unclosed, good, "{}", good}, memo,
      {true, false, true, false, true, false, true, true, true});
}

TEST(MgwFastFrame, TakesTextFramesAndReadsThemAsSimdjsonDoes) {
  for (
      const char *f :
      {R"({"session_id":"sess-1","event":{"type":"response.chunk","response_id":"r","chunk":{"text":{"text":" word","channel":"CHANNEL_ASSISTANT_RESPONSE"}}}})",
       R"({"session_id":"s","event":{"type":"response.output_text.delta","response_id":"r","delta":"a\nb"}})",
       R"({"event":{"type":"response.output_text.done","text":"full \"text\""}})",
       R"({"event":{"type":"session.created","client_event_id":"evt_1","session":{"id":"s"}}})",
       R"({"event":{"type":"response.chunk","chunk":{"tool_usage_card":{"id":"t","web_search":{"args":{"q":"x"}}}}}})",
       R"({"event":{"type":"response.chunk","chunk":{"text":"not an object"}}})",
       R"({"event":{"type":"x","delta":7,"text":null}})",
       R"({"session_id":5,"event":"not an object"})", "{}", " {\"event\" : { } } "}) {
    SCOPED_TRACE(f);
    Mgw r = mgw(f);
    EXPECT_TRUE(r.fast);
    EXPECT_EQ(r.slow, simdjson::SUCCESS);
    EXPECT_EQ(r.fast_frame, r.slow_frame);
  }
}

TEST(MgwFastFrame, OtherFramesAndBadInputGoToSimdjson) {
  for (const char *f :
       {R"({"event":{"type":"response.chunk","chunk":{"tool_result":{"web_search":{}}}}})",
        R"({"event":{"type":"response.chunk","chunk":{"render_citation":{"url":"u"}}}})",
        R"({"event":{"type":"response.created","response":{"id":"r","status":"in_progress"}}})",
        R"({"event":{"type":"conversation.attached","conversation":{"id":"c"}}})",
        R"({"event":{"type":"error","error":{"code":"e","message":"m"}}})",
        R"({"event":{"type":"x","message":"m"}})",
        R"({"event":{"type":"response.search.result","result":{"url":"u"}}})",
        R"({"event":{"type":"x","output":{}}})",
        R"({"event":{"type":"response.chunk","chunk":{"text":{"text":"\u00e9"}}}})",
        "{\"event\":{\"type\":\"response.chunk\",\"chunk\":{\"text\":{\"text\":\"bad "
        "\xFF\xFE\xC3\x28\"}}}}",
        R"({"event":{"type":"x"})", R"({"event":{"type":"x"}}})", "this is not json", "[]", ""}) {
    SCOPED_TRACE(f);
    EXPECT_FALSE(mgw(f).fast);
  }
}
