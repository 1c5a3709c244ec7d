// mgw chat WebSocket session: golden fixtures (tests/native/fixtures/mgw/<name>.frames.jsonl
// → <name>.sent.jsonl + <name>.events.json) and state-machine unit tests.
// frames.jsonl holds one server frame per line, plus directives: `#request {…}` (the
// MgwRequest), `#tick <ms>` (on_tick), `#close` (on_close), `#raw <text>` (a frame sent as is).
// Frame i (0-based line index) arrives at kT0 + (i+1)*1000 ms; ids come from "uuid-<n>".
#include "grok/mgw_session.h"
#include "grok_event_json.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>

using namespace g2a;
using namespace g2a::grok;
using namespace g2a::test;

namespace {

const std::string kDir = std::string(G2A_FIXTURES) + "/mgw/";
constexpr long long kT0 = 1700000000000LL;

std::vector<std::string> scenarios() {
  std::vector<std::string> names;
  for (auto &e : std::filesystem::directory_iterator(kDir)) {
    std::string f = e.path().filename().string();
    const std::string suffix = ".frames.jsonl";
    if (f.size() > suffix.size() && f.substr(f.size() - suffix.size()) == suffix)
      names.push_back(f.substr(0, f.size() - suffix.size()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> split_lines(const std::string &s) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < s.size()) {
    size_t nl = s.find('\n', at);
    if (nl == std::string::npos) nl = s.size();
    if (nl > at) out.push_back(s.substr(at, nl - at));
    at = nl + 1;
  }
  return out;
}

MgwRequest request_from(const json &j) {
  MgwRequest r;
  r.mode = str_or(j, "mode", "fast");
  r.prompt = str_or(j, "prompt");
  if (j.contains("file_ids"))
    for (auto &f : j["file_ids"]) r.file_ids.push_back(f.get<std::string>());
  r.temporary = bool_or(j, "temporary", true);
  r.disable_memory = bool_or(j, "disable_memory", true);
  r.disable_search = bool_or(j, "disable_search", false);
  r.enable_image_generation = bool_or(j, "enable_image_generation", true);
  r.image_count = static_cast<int>(int_or(j, "image_count", 2));
  return r;
}

struct Replay {
  json events;
  std::vector<std::string> sent;
  bool done = false;
  size_t bad = 0;
};

Replay replay(const std::vector<std::string> &lines) {
  Replay run;
  Collect sink;
  MgwRequest req;
  for (auto &l : lines)
    if (l.rfind("#request ", 0) == 0) req = request_from(*parse_json(l.substr(9)));
  int n = 0;
  MgwSession s(
      sink, [&](std::string frame) { run.sent.push_back(std::move(frame)); },
      [&] { return "uuid-" + std::to_string(++n); }, req);
  s.start(kT0);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string &l = lines[i];
    long long now = kT0 + static_cast<long long>(i + 1) * 1000;
    if (l.rfind("#request ", 0) == 0) continue;
    if (l.rfind("#tick ", 0) == 0)
      s.on_tick(std::stoll(l.substr(6)));
    else if (l == "#close")
      s.on_close();
    else if (l.rfind("#raw ", 0) == 0)
      s.on_frame(l.substr(5), now);
    else
      s.on_frame(l, now);
  }
  run.events = sink.events;
  run.done = s.done();
  run.bad = s.bad_frames();
  return run;
}

class MgwFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(MgwFixture, MatchesGoldenFramesAndEvents) {
  const std::string name = GetParam();
  Replay run = replay(split_lines(read_file(kDir + name + ".frames.jsonl")));
  std::string sent;
  for (auto &f : run.sent) sent += f + "\n";
  const std::string sent_path = kDir + name + ".sent.jsonl";
  const std::string events_path = kDir + name + ".events.json";
  if (update_fixtures()) {
    write_file(sent_path, sent);
    write_file(events_path, json_lines_array(run.events));
  }
  EXPECT_EQ(sent, read_file(sent_path)) << name;
  auto expected = parse_json(read_file(events_path));
  ASSERT_TRUE(expected.has_value()) << "missing or invalid " << events_path;
  EXPECT_EQ(dump(run.events), dump(*expected)) << name;
  // Every sent frame is one compact JSON object with an event type.
  for (auto &f : run.sent) {
    auto j = parse_json(f);
    ASSERT_TRUE(j.has_value()) << f;
    EXPECT_TRUE((*j)["event"]["type"].is_string()) << f;
    EXPECT_EQ(f, dump(*j));
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, MgwFixture, ::testing::ValuesIn(scenarios()),
                         [](const auto &info) { return info.param; });

struct Session {
  Collect sink;
  std::vector<std::string> sent;
  int ids = 0;
  MgwSession s;
  explicit Session(MgwRequest req = {})
      : s(
            sink, [this](std::string f) { sent.push_back(std::move(f)); },
            [this] { return "id" + std::to_string(++ids); }, std::move(req)) {}
  json last_sent() { return *parse_json(sent.back()); }
};

std::string frame(const json &j) {
  return dump(j);
}

void attach(Session &t, const std::string &conv = "c") {
  t.s.on_frame(
      frame({{"session_id", conv},
             {"event", {{"type", "session.created"}, {"client_event_id", "evt_init_id1"}}}}),
      1);
  t.s.on_frame(
      frame({{"session_id", conv},
             {"event", {{"type", "conversation.attached"}, {"conversation", {{"id", conv}}}}}}),
      2);
}

TEST(MgwSession, StateMachineWalksThroughTheHandshake) {
  MgwRequest req;
  req.mode = "auto";
  req.prompt = "p";
  Session t(req);
  EXPECT_EQ(t.s.state(), MgwSession::State::Idle);
  t.s.on_frame(frame({{"event", {{"type", "session.created"}}}}), 0); // before start: ignored
  EXPECT_TRUE(t.sent.empty());
  t.s.start(0);
  EXPECT_EQ(t.s.state(), MgwSession::State::CreatingSession);
  ASSERT_EQ(t.sent.size(), 1u);
  json init = t.last_sent();
  EXPECT_EQ(init["event"]["type"], "session.create");
  EXPECT_EQ(init["event"]["event_id"], "evt_init_id1");
  EXPECT_EQ(init["event"]["session"]["model"], "auto");
  EXPECT_FALSE(init.contains("session_id"));
  EXPECT_FALSE(init["event"]["session"]["x_grok"].contains("disable_web_search"));
  attach(t);
  EXPECT_EQ(t.s.state(), MgwSession::State::Responding);
  EXPECT_EQ(t.s.conversation_id(), "c");
  ASSERT_EQ(t.sent.size(), 3u);
  EXPECT_EQ(parse_json(t.sent[1])->at("event").value("type", ""), "conversation.item.create");
  EXPECT_EQ(t.last_sent()["event"]["type"], "response.create");
  EXPECT_EQ(t.last_sent()["event"]["event_id"], "evt_resp_2");
  t.s.on_frame(frame({{"event", {{"type", "response.done"}, {"response", {{"id", "r"}}}}}}), 3);
  EXPECT_EQ(t.s.state(), MgwSession::State::Done);
  EXPECT_TRUE(t.s.done());
  EXPECT_EQ(t.s.response_id(), "r");
  t.s.on_close(); // after Done: nothing more
  EXPECT_EQ(t.sink.events.back()["kind"], "done");
  EXPECT_EQ(t.sink.events.back()["ref"], "r");
}

TEST(MgwSession, HeartbeatEvery25Seconds) {
  Session t;
  t.s.on_tick(100000); // not started: no ping
  EXPECT_TRUE(t.sent.empty());
  t.s.start(1000);
  t.s.on_tick(25999);
  EXPECT_EQ(t.sent.size(), 1u);
  t.s.on_tick(26000);
  ASSERT_EQ(t.sent.size(), 2u);
  EXPECT_EQ(t.sent.back(), R"({"event":{"type":"ping","event_id":"evt_hb_26000"}})");
  t.s.on_tick(50000);
  EXPECT_EQ(t.sent.size(), 2u);
  t.s.on_tick(51000);
  EXPECT_EQ(t.sent.size(), 3u);
  t.s.on_close();
  EXPECT_EQ(t.s.state(), MgwSession::State::Failed);
  t.s.on_tick(200000); // closed: no ping
  EXPECT_EQ(t.sent.size(), 3u);
  ASSERT_EQ(t.sink.events.size(), 1u);
  EXPECT_EQ(t.sink.events[0]["failure"], "network");
}

TEST(MgwSession, InvalidUtf8FrameIsCountedAndIgnored) {
  Session t;
  t.s.start(0);
  attach(t);
  t.s.on_frame("{\"event\":{\"type\":\"response.chunk\",\"chunk\":{\"text\":{\"text\":\"\xff\"}}}}",
               3);
  t.s.on_frame("", 4);
  t.s.on_frame("[]", 5);
  EXPECT_EQ(t.s.bad_frames(), 3u); // "[]" is JSON but not a frame object
  EXPECT_FALSE(t.s.done());
  ASSERT_EQ(t.sink.events.size(), 1u); // the Meta
  EXPECT_EQ(t.sink.events[0], json({{"kind", "meta"}, {"id", "c"}}));
}

TEST(MgwSession, FilteredTagsApplyToAnswerChunks) {
  Session t;
  t.s.start(0);
  attach(t);
  auto text = [&](const std::string &s) {
    t.s.on_frame(
        frame(
            {{"event",
              {{"type", "response.chunk"},
               {"chunk", {{"text", {{"text", s}, {"channel", "CHANNEL_ASSISTANT_RESPONSE"}}}}}}}}),
        3);
  };
  text("visible");
  text("<xaiArtifact id=\"1\">");
  ASSERT_EQ(t.sink.events.size(), 2u);
  EXPECT_EQ(t.sink.events[1]["text"], "visible");
}

TEST(MgwSession, MutatedFixturesKeepTheInvariants) {
  // Damaged frames never crash; after on_close() the session has emitted exactly one
  // terminal event (Done or Error), last.
  std::mt19937 rng(4242);
  for (const auto &name : scenarios()) {
    auto lines = split_lines(read_file(kDir + name + ".frames.jsonl"));
    for (int round = 0; round < 40; ++round) {
      auto bad = lines;
      for (auto &l : bad) {
        if (l.empty() || l[0] == '#' || rng() % 3) continue;
        const char pool[] = {'"', '{', '}', '[', ']', ':', ',', '\xff', 'x', '0'};
        l[rng() % l.size()] = pool[rng() % sizeof(pool)];
      }
      bad.push_back("#close");
      Replay run = replay(bad);
      ASSERT_TRUE(run.done) << name;
      size_t terminal = 0;
      for (auto &e : run.events)
        if (e["kind"] == "done" || e["kind"] == "error") ++terminal;
      EXPECT_EQ(terminal, 1u) << name << " round " << round;
      std::string last = run.events.back()["kind"];
      EXPECT_TRUE(last == "done" || last == "error") << name << " round " << round;
    }
  }
}

} // namespace
