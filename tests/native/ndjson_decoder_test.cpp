// REST NDJSON decoder: golden fixtures (tests/native/fixtures/ndjson/<name>.ndjson →
// <name>.events.json), each replayed whole, at every split size from 1 to 64 bytes, at random
// splits and through the zero-copy padded feed; plus linearity, limits and bad input.
#include "grok/ndjson_decoder.h"
#include "grok_event_json.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <random>

using namespace g2a;
using namespace g2a::grok;
using namespace g2a::test;

namespace {

const std::string kDir = std::string(G2A_FIXTURES) + "/ndjson/";

std::vector<std::string> scenarios() {
  std::vector<std::string> names;
  for (auto &e : std::filesystem::directory_iterator(kDir))
    if (e.path().extension() == ".ndjson") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Feeds `input` cut at the given chunk sizes (cycled); padded: through the zero-copy overload
// with a private padded copy of each chunk.
json decode(const std::string &input, const std::vector<size_t> &sizes, bool padded = false) {
  Collect sink;
  NdjsonDecoder dec(sink);
  size_t at = 0, k = 0;
  while (at < input.size()) {
    size_t n =
        sizes.empty() ? input.size() : std::min(sizes[k++ % sizes.size()], input.size() - at);
    if (padded) {
      std::string chunk = input.substr(at, n) + std::string(simdjson::SIMDJSON_PADDING, 'x');
      dec.feed(std::string_view(chunk.data(), n), simdjson::SIMDJSON_PADDING);
    } else {
      std::string chunk = input.substr(at, n); // own allocation: ASan catches over-reads
      dec.feed(chunk);
    }
    at += n;
  }
  dec.finish();
  EXPECT_TRUE(dec.done());
  return sink.events;
}

class NdjsonFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(NdjsonFixture, MatchesGoldenEventsAtEverySplit) {
  const std::string name = GetParam();
  const std::string input = read_file(kDir + name + ".ndjson");
  ASSERT_FALSE(input.empty());
  json whole = decode(input, {});
  const std::string expected_path = kDir + name + ".events.json";
  if (update_fixtures()) write_file(expected_path, json_lines_array(whole));
  auto expected = parse_json(read_file(expected_path));
  ASSERT_TRUE(expected.has_value()) << "missing or invalid " << expected_path;
  ASSERT_EQ(dump(whole), dump(*expected)) << name;

  for (size_t split = 1; split <= 64; ++split) {
    ASSERT_EQ(dump(decode(input, {split})), dump(whole)) << name << " split " << split;
    ASSERT_EQ(dump(decode(input, {split}, true)), dump(whole)) << name << " padded " << split;
  }
  std::mt19937 rng(12345);
  for (int round = 0; round < 50; ++round) {
    std::vector<size_t> sizes;
    for (int i = 0; i < 64; ++i) sizes.push_back(1 + rng() % (round % 2 ? 300 : 17));
    ASSERT_EQ(dump(decode(input, sizes, round % 3 == 0)), dump(whole))
        << name << " random round " << round;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, NdjsonFixture, ::testing::ValuesIn(scenarios()),
                         [](const auto &info) { return info.param; });

std::string line(const json &j) {
  return dump(j) + "\n";
}

json token_line(const std::string &t) {
  return {{"result", {{"response", {{"token", t}, {"isThinking", false}}}}}};
}

TEST(NdjsonDecoder, LongLineScanIsLinear) {
  // One 5 MB line (a huge final message) fed in 1 KB chunks.
  std::string msg(5u * 1024u * 1024u, 'a');
  std::string input = line({{"result", {{"response", {{"modelResponse", {{"message", msg}}}}}}}});
  Collect sink;
  NdjsonDecoder dec(sink);
  for (size_t at = 0; at < input.size(); at += 1024)
    dec.feed(std::string_view(input).substr(at, 1024));
  dec.finish();
  EXPECT_LE(dec.bytes_scanned(), 2 * input.size());
  EXPECT_EQ(dec.lines(), 1u);
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[0]["text"].get<std::string>().size(), msg.size());
  EXPECT_EQ(sink.events[1]["kind"], "done");
}

TEST(NdjsonDecoder, ManySmallLinesScanEachByteOnce) {
  std::string input;
  for (int i = 0; i < 2000; ++i) input += line(token_line("tok" + std::to_string(i) + " "));
  Collect sink;
  NdjsonDecoder dec(sink);
  for (size_t at = 0; at < input.size(); at += 7) dec.feed(std::string_view(input).substr(at, 7));
  EXPECT_EQ(dec.bytes_scanned(), input.size());
  EXPECT_EQ(dec.lines(), 2000u);
  EXPECT_EQ(sink.events.size(), 2000u);
}

TEST(NdjsonDecoder, LineLongerThanLimitIsBadResponse) {
  DecodeOptions opt;
  opt.max_line_bytes = 100;
  Collect sink;
  NdjsonDecoder dec(sink, opt);
  dec.feed(line(token_line("fine")));
  std::string big = line(token_line(std::string(200, 'b')));
  dec.feed(std::string_view(big).substr(0, 60));
  EXPECT_FALSE(dec.done());
  dec.feed(std::string_view(big).substr(60));
  EXPECT_TRUE(dec.done());
  dec.feed(line(token_line("after")));
  dec.finish();
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[1]["kind"], "error");
  EXPECT_EQ(sink.events[1]["failure"], "bad_response");
}

TEST(NdjsonDecoder, CompleteLineOverLimitInOneChunk) {
  DecodeOptions opt;
  opt.max_line_bytes = 50;
  Collect sink;
  NdjsonDecoder dec(sink, opt);
  dec.feed(line(token_line(std::string(100, 'c'))));
  EXPECT_TRUE(dec.done());
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0]["failure"], "bad_response");
}

TEST(NdjsonDecoder, BadLinesAreCountedNotFatal) {
  Collect sink;
  NdjsonDecoder dec(sink);
  dec.feed("garbage\n");
  dec.feed("{\"result\":{\"response\":{\"token\":\"bad \xff\xfe utf8\"}}}\n");
  dec.feed("{\"result\":{\"response\":{\"token\":\"cut\"\n");
  dec.feed(line(token_line("good")));
  dec.feed("{\"result\":{\"response\":{\"isSoftStop\":true}}}\n");
  EXPECT_EQ(dec.bad_lines(), 3u);
  EXPECT_EQ(dec.lines(), 2u);
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[0]["text"], "good");
  EXPECT_EQ(sink.events[1]["kind"], "done");
}

TEST(NdjsonDecoder, UnknownFramesAreIgnoredAndCounted) {
  Collect sink;
  NdjsonDecoder dec(sink);
  // Known metadata (uiLayout, llmInfo, title) is not counted; kinds Grok added since are.
  dec.feed(line(
      {{"result",
        {{"response", {{"uiLayout", {{"reasoningUiLayout", "SPLIT"}}}, {"responseId", "r"}}}}}}));
  dec.feed(
      line({{"result", {{"response", {{"llmInfo", {{"modelHash", "h"}}}, {"responseId", "r"}}}}}}));
  dec.feed(
      line({{"result", {{"response", {{"sideBySideHint", {{"x", 1}}}, {"responseId", "r"}}}}}}));
  dec.feed(line({{"result", {{"brandNewThing", json::array({1, 2})}}}}));
  dec.feed(line({{"result", {{"title", {{"newTitle", "t"}}}}}}));
  dec.feed(line({{"telemetry", {{"a", 1}}}}));
  dec.feed(line(token_line("ok")));
  dec.feed(line({{"result", {{"token", ""}, {"isSoftStop", true}, {"responseId", "r"}}}}));
  EXPECT_EQ(dec.ignored_frames(), 3u);
  EXPECT_EQ(dec.bad_lines(), 0u);
  EXPECT_EQ(dec.lines(), 8u);
  ASSERT_EQ(sink.events.size(), 2u); // never an error
  EXPECT_EQ(sink.events[0]["text"], "ok");
  EXPECT_EQ(sink.events[1], json({{"kind", "done"}, {"ref", "r"}}));
}

TEST(NdjsonDecoder, BothEndpointShapesGiveTheSameEvents) {
  // conversations/new wraps each object in `response`; conversations/{id}/responses does not.
  auto run = [](bool wrapped) {
    auto frame = [&](json inner) {
      return line(wrapped ? json{{"result", {{"response", inner}}}} : json{{"result", inner}});
    };
    Collect sink;
    NdjsonDecoder dec(sink);
    dec.feed(
        frame({{"userResponse", {{"responseId", "u"}, {"message", "q"}}}, {"responseId", "u"}}));
    dec.feed(frame({{"token", "Thinking"},
                    {"isThinking", true},
                    {"messageTag", "header"},
                    {"responseId", "r"}}));
    dec.feed(frame({{"token", "A"},
                    {"isThinking", false},
                    {"isSoftStop", false},
                    {"messageTag", "final"},
                    {"responseId", "r"}}));
    dec.feed(frame({{"webSearchResults",
                     {{"results", json::array({{{"url", "https://e.x/a"}, {"title", "A"}}})}}},
                    {"responseId", "r"}}));
    dec.feed(frame({{"token", "B"},
                    {"isThinking", false},
                    {"isSoftStop", false},
                    {"messageTag", "final"},
                    {"responseId", "r"}}));
    dec.feed(frame({{"token", ""},
                    {"isThinking", false},
                    {"isSoftStop", true},
                    {"messageTag", "final"},
                    {"responseId", "r"}}));
    dec.finish();
    EXPECT_EQ(dec.ignored_frames(), 0u);
    return sink.events;
  };
  json wrapped = run(true), bare = run(false);
  EXPECT_EQ(dump(wrapped), dump(bare));
  ASSERT_GE(wrapped.size(), 4u);
  EXPECT_EQ(wrapped.back(), json({{"kind", "done"}, {"ref", "r"}}));
}

TEST(NdjsonDecoder, NothingAfterDone) {
  Collect sink;
  NdjsonDecoder dec(sink);
  dec.feed(line({{"result", {{"response", {{"isSoftStop", true}, {"responseId", "r"}}}}}}));
  dec.feed(line(token_line("late")));
  dec.feed(line({{"error", {{"code", 8}, {"message", "late error"}}}}));
  dec.finish();
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0], json({{"kind", "done"}, {"ref", "r"}}));
}

TEST(NdjsonDecoder, EmptyBodyIsNetworkError) {
  Collect sink;
  NdjsonDecoder dec(sink);
  dec.finish();
  dec.finish();
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0]["failure"], "network");
}

TEST(NdjsonDecoder, FilteredTagsAreConfigurable) {
  DecodeOptions opt;
  opt.filtered_tags = {"SECRET"};
  Collect sink;
  NdjsonDecoder dec(sink, opt);
  dec.feed(line(token_line("a <xaiartifact/> b")));
  dec.feed(line(token_line("has secret inside")));
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0]["text"], "a <xaiartifact/> b");
}

TEST(NdjsonDecoder, UnclosedPlaceholderIsReleasedAfterLimit) {
  Collect sink;
  NdjsonDecoder dec(sink);
  const std::string open = "x <grok:render card_id=\"k\" type=\"render_inline_citation\">";
  dec.feed(line(token_line(open)));
  for (int i = 0; i < 50; ++i) dec.feed(line(token_line(std::string(100, 'y'))));
  dec.feed(line({{"result", {{"response", {{"isSoftStop", true}}}}}}));
  std::string text;
  for (auto &e : sink.events)
    if (e["kind"] == "text") text += e["text"].get<std::string>();
  EXPECT_EQ(text.size(), open.size() + 5000u);
  EXPECT_EQ(text.substr(0, 14), "x <grok:render");
  EXPECT_EQ(sink.events.back()["kind"], "done");
}

TEST(NdjsonDecoder, ZeroCopyFeedReadsNothingPastTheLine) {
  // A chunk whose padding is garbage that looks like JSON must not change the result.
  std::string chunk = line(token_line("hi")) + "{\"result\":";
  std::string buf = chunk + std::string(64, '}');
  Collect sink;
  NdjsonDecoder dec(sink);
  dec.feed(std::string_view(buf.data(), chunk.size()), 64);
  dec.feed("{\"response\":{\"isSoftStop\":true}}}\n");
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[0]["text"], "hi");
  EXPECT_EQ(sink.events[1]["kind"], "done");
}

TEST(NdjsonDecoder, MutatedFixturesKeepTheInvariants) {
  // Random byte damage must never crash, and the stream always ends with exactly one
  // terminal event (Done or Error), last.
  std::mt19937 rng(777);
  for (const auto &name : scenarios()) {
    const std::string input = read_file(kDir + name + ".ndjson");
    for (int round = 0; round < 40; ++round) {
      std::string bad = input;
      int flips = 1 + static_cast<int>(rng() % 8);
      for (int i = 0; i < flips; ++i) {
        size_t at = rng() % bad.size();
        const char pool[] = {'"',  '{',  '}', '[', ']',    '<', '>',
                             '\\', '\n', ':', ',', '\xff', 'x', '0'};
        bad[at] = pool[rng() % sizeof(pool)];
      }
      if (round % 5 == 0) bad.resize(rng() % bad.size());
      json events = decode(bad, {1 + rng() % 40});
      ASSERT_FALSE(events.empty()) << name;
      size_t terminal = 0;
      for (auto &e : events)
        if (e["kind"] == "done" || e["kind"] == "error") ++terminal;
      EXPECT_EQ(terminal, 1u) << name << " round " << round;
      std::string last = events.back()["kind"];
      EXPECT_TRUE(last == "done" || last == "error") << name << " round " << round;
    }
  }
}

} // namespace
