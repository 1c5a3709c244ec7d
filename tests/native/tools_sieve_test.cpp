// The streaming tool-call sieve (tools/sieve.h) on every output in
// fixtures/tools/outputs.json, fed whole, split at EVERY byte position into two chunks, and byte
// by byte: the calls, the text shown and the byte-exact reassembly must not depend on the split.
#include "core/json.h"
#include "tools/sieve.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace g2a;
using tools::Piece;

namespace {

struct Fixture {
  std::vector<answer::ToolSpec> tools;
  json outputs;
};

const Fixture &fixture() {
  static Fixture f = [] {
    std::ifstream in(std::string(G2A_FIXTURES) + "/tools/outputs.json");
    std::stringstream ss;
    ss << in.rdbuf();
    json j = parse_json(ss.str()).value_or(json::object());
    Fixture out;
    for (const auto &t : j["tools"]) {
      answer::ToolSpec s;
      s.name = t["name"].get<std::string>();
      s.description = str_or(t, "description");
      if (t.contains("parameters")) s.parameters = dump(t["parameters"]);
      s.freeform = t.value("freeform", false);
      out.tools.push_back(std::move(s));
    }
    out.outputs = j["outputs"];
    return out;
  }();
  return f;
}

std::vector<const answer::ToolSpec *> offered() {
  std::vector<const answer::ToolSpec *> out;
  for (const auto &t : fixture().tools) out.push_back(&t);
  return out;
}

struct Result {
  std::vector<std::pair<std::string, std::string>> calls;
  std::string shown, raw;
};

Result run(const std::vector<std::string_view> &chunks, bool parallel = true) {
  tools::Sieve sieve(offered(), parallel);
  std::vector<Piece> pieces;
  for (auto c : chunks) sieve.feed(c, pieces);
  sieve.finish(pieces);
  Result r;
  for (const auto &p : pieces) r.raw += p.raw;
  bool called = false;
  for (const auto &p : pieces) called = called || p.kind == Piece::Kind::Call;
  for (const auto &p : pieces) {
    if (p.kind == Piece::Kind::Call) r.calls.emplace_back(p.name, p.arguments);
    // What a client sees: blank pieces between and after calls are not shown.
    if (p.kind == Piece::Kind::Text &&
        !(called && p.raw.find_first_not_of(" \n\t\r") == std::string::npos))
      r.shown += p.raw;
  }
  return r;
}

void expect_case(const json &c, const Result &r, const std::string &how) {
  const std::string name = c["name"].get<std::string>() + " " + how;
  const std::string text = c["text"].get<std::string>();
  EXPECT_EQ(r.raw, text) << name;
  EXPECT_EQ(r.shown, c["shown"].get<std::string>()) << name;
  ASSERT_EQ(r.calls.size(), c["calls"].size()) << name;
  for (size_t i = 0; i < r.calls.size(); ++i) {
    EXPECT_EQ(r.calls[i].first, c["calls"][i]["name"].get<std::string>()) << name;
    EXPECT_EQ(r.calls[i].second, c["calls"][i]["arguments"].get<std::string>()) << name;
  }
}

} // namespace

TEST(ToolsSieve, FixturesLoaded) {
  EXPECT_EQ(fixture().tools.size(), 3u);
  EXPECT_GE(fixture().outputs.size(), 16u);
}

TEST(ToolsSieve, EveryOutputWhole) {
  for (const auto &c : fixture().outputs) {
    std::string text = c["text"].get<std::string>();
    expect_case(c, run({text}), "whole");
  }
}

TEST(ToolsSieve, EveryOutputAtEverySplitPoint) {
  for (const auto &c : fixture().outputs) {
    std::string text = c["text"].get<std::string>();
    std::string_view t(text);
    for (size_t i = 0; i <= text.size(); ++i)
      expect_case(c, run({t.substr(0, i), t.substr(i)}), "split at " + std::to_string(i));
  }
}

TEST(ToolsSieve, EveryOutputByteByByte) {
  for (const auto &c : fixture().outputs) {
    std::string text = c["text"].get<std::string>();
    std::vector<std::string_view> bytes;
    for (size_t i = 0; i < text.size(); ++i) bytes.push_back(std::string_view(text).substr(i, 1));
    expect_case(c, run(bytes), "byte by byte");
  }
}

TEST(ToolsSieve, PlainTextStreamsAtOnce) {
  tools::Sieve sieve(offered(), true);
  std::vector<Piece> pieces;
  sieve.feed("Hello, the weather is fine", pieces);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].raw, "Hello, the weather is fine");
  EXPECT_EQ(sieve.held(), 0u);
}

TEST(ToolsSieve, OnlyAPossibleMarkerIsHeldAndReleasedOnceDecided) {
  tools::Sieve sieve(offered(), true);
  std::vector<Piece> pieces;
  sieve.feed("a <tool_", pieces);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].raw, "a ");
  EXPECT_EQ(sieve.held(), 6u);
  sieve.feed("box> b", pieces);
  EXPECT_EQ(sieve.held(), 0u);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].raw, "a <tool_box> b");
}

TEST(ToolsSieve, AFenceIsHeldOnlyUntilItsNextLineDecides) {
  tools::Sieve sieve(offered(), true);
  std::vector<Piece> pieces;
  sieve.feed("x\n```js", pieces);
  EXPECT_EQ(sieve.held(), 5u);
  sieve.feed("\nlet a = 1;", pieces);
  EXPECT_EQ(sieve.held(), 0u);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].raw, "x\n```js\nlet a = 1;");
}

TEST(ToolsSieve, ParallelFalseKeepsTheFirstCall) {
  const json &c = fixture().outputs[4]; // several_calls
  ASSERT_EQ(c["name"], "several_calls");
  std::string text = c["text"].get<std::string>();
  Result r = run({text}, false);
  ASSERT_EQ(r.calls.size(), 1u);
  EXPECT_EQ(r.calls[0].first, "get_weather");
  EXPECT_EQ(r.raw, text);
}

TEST(ToolsSieve, ACallIsDecidedWhenItsCloseTagArrives) {
  tools::Sieve sieve(offered(), true);
  std::vector<Piece> pieces;
  sieve.feed("<tool_call name=\"search\">{\"query\": \"x\"}", pieces);
  EXPECT_TRUE(pieces.empty());
  sieve.feed("</tool_call>", pieces);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].kind, Piece::Kind::Call);
  EXPECT_EQ(sieve.held(), 0u);
}
