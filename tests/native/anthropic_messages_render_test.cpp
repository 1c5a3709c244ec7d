// Anthropic Messages renderer against golden fixtures
// (tests/native/fixtures/anthropic/<case>.events.json in -> <case>.sse and <case>.json out, byte
// for byte), checked by an SDK-shape checker that replays the stream as @anthropic-ai/sdk's
// MessageStream does (named events, message_start first, block indexes in start order, deltas
// on the open block of the right type, message_delta then message_stop, nothing after an error)
// and cross-checks it with the JSON form; plus Grok NDJSON fixtures decoded and rendered with the
// upstream bytes split at every position, which must tell the same story as the whole body.
// Regenerate the goldens with G2A_UPDATE_GOLDENS=1 (then review the diff).
#include "anthropic/messages_renderer.h"
#include "anthropic/thinking_signature.h"
#include "grok/ndjson_decoder.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

using namespace g2a;
using namespace g2a::anthropic;
using Kind = answer::Event::Kind;

namespace {

const std::string kDir = std::string(G2A_FIXTURES) + "/anthropic/";
const std::string kNdjson = std::string(G2A_FIXTURES) + "/ndjson/";
const std::string kKey = "k3y-for-the-golden-fixtures-only-0123456789";

std::string read_file(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool updating() {
  const char *v = std::getenv("G2A_UPDATE_GOLDENS");
  return v && std::string(v) == "1";
}

MessagesRenderOptions options_from(const json &o) {
  MessagesRenderOptions opt;
  opt.id = str_or(o, "id", "msg_test");
  opt.model = str_or(o, "model", "claude-sonnet-4-6");
  opt.thinking = bool_or(o, "thinking");
  opt.input_tokens = int_or(o, "input_tokens", 0);
  opt.signing_key = str_or(o, "signing_key");
  opt.request_id = str_or(o, "request_id");
  if (o.contains("stop_sequences"))
    for (const auto &s : o["stop_sequences"]) opt.stop_sequences.push_back(s.get<std::string>());
  return opt;
}

answer::Event event_from(const json &e) {
  static const std::pair<const char *, Kind> kinds[] = {
      {"meta", Kind::Meta},         {"text", Kind::Text},     {"reasoning", Kind::Reasoning},
      {"citation", Kind::Citation}, {"source", Kind::Source}, {"image", Kind::Image},
      {"video", Kind::Video},       {"error", Kind::Error},   {"done", Kind::Done}};
  answer::Event ev;
  std::string k = str_or(e, "kind");
  bool found = false;
  for (auto &[name, kind] : kinds)
    if (k == name) ev.kind = kind, found = true;
  EXPECT_TRUE(found) << "unknown kind " << k;
  ev.text = str_or(e, "text");
  ev.id = str_or(e, "id");
  ev.ref = str_or(e, "ref");
  ev.url = str_or(e, "url");
  ev.title = str_or(e, "title");
  ev.progress = static_cast<int>(int_or(e, "progress", -1));
  ev.moderated = bool_or(e, "moderated");
  return ev;
}

answer::StopReason reason_from(const std::string &s) {
  if (s == "length") return answer::StopReason::Length;
  if (s == "content_filter") return answer::StopReason::ContentFilter;
  return answer::StopReason::Stop;
}

// What @anthropic-ai/sdk's MessageStream reconstructs from a stream.
struct Seen {
  json message;         // the snapshot (content blocks, stop_reason, usage)
  json error;           // the error event's body
  bool stopped = false; // message_stop seen
  int pings = 0;
  int deltas = 0;
};

// Replays the stream as the SDK does and checks every rule it (or the reference) relies on.
Seen check_sdk_shape(const std::string &sse, const MessagesRenderOptions &opt) {
  Seen s;
  EXPECT_TRUE(sse.size() >= 2 && sse.compare(sse.size() - 2, 2, "\n\n") == 0)
      << "stream must end with a blank line";
  size_t pos = 0;
  int open = -1; // index of the open block
  bool delta_seen = false;
  while (pos < sse.size()) {
    size_t end = sse.find("\n\n", pos);
    if (end == std::string::npos) {
      ADD_FAILURE() << "unterminated frame at " << pos;
      break;
    }
    std::string frame = sse.substr(pos, end - pos);
    pos = end + 2;
    EXPECT_TRUE(s.error.is_null()) << "nothing after an error event: " << frame;
    EXPECT_FALSE(s.stopped) << "nothing after message_stop: " << frame;
    size_t nl = frame.find('\n');
    if (nl == std::string::npos || frame.rfind("event: ", 0) != 0 ||
        frame.compare(nl + 1, 6, "data: ") != 0 || frame.find('\n', nl + 1) != std::string::npos) {
      ADD_FAILURE() << "every event is one event: line and one data: line: " << frame;
      continue;
    }
    std::string name = frame.substr(7, nl - 7);
    auto parsed = parse_json(frame.substr(nl + 7));
    if (!parsed) {
      ADD_FAILURE() << "invalid JSON: " << frame;
      continue;
    }
    json d = *parsed;
    EXPECT_EQ(str_or(d, "type"), name) << "the data's type names the event";
    if (name == "ping") {
      ++s.pings;
      continue;
    }
    if (name == "error") {
      EXPECT_TRUE(d["error"]["type"].is_string());
      EXPECT_TRUE(d["error"]["message"].is_string());
      s.error = d;
      continue;
    }
    if (name == "message_start") {
      EXPECT_TRUE(s.message.is_null()) << "one message_start";
      const json &m = d["message"];
      EXPECT_EQ(m["id"], opt.id);
      EXPECT_EQ(m["type"], "message");
      EXPECT_EQ(m["role"], "assistant");
      EXPECT_EQ(m["model"], opt.model);
      EXPECT_EQ(m["content"], json::array());
      EXPECT_TRUE(m["stop_reason"].is_null());
      EXPECT_EQ(m["usage"]["input_tokens"], opt.input_tokens);
      EXPECT_TRUE(m["usage"]["output_tokens"].is_number_integer());
      s.message = m;
      continue;
    }
    if (s.message.is_null()) {
      ADD_FAILURE() << "message_start must come first: " << frame;
      continue;
    }
    json &content = s.message["content"];
    if (name == "content_block_start") {
      EXPECT_EQ(open, -1) << "one block open at a time";
      EXPECT_EQ(d["index"], content.size()) << "indexes 0, 1, 2… in start order";
      const json &b = d["content_block"];
      if (b["type"] == "text") {
        EXPECT_EQ(b, (json{{"type", "text"}, {"text", ""}}));
      } else {
        EXPECT_EQ(b["type"], "thinking");
        EXPECT_EQ(b, (json{{"type", "thinking"}, {"thinking", ""}, {"signature", ""}}));
        EXPECT_TRUE(opt.thinking) << "thinking blocks only when asked for";
      }
      content.push_back(b);
      open = d["index"].get<int>();
      delta_seen = false;
    } else if (name == "content_block_delta") {
      ++s.deltas;
      EXPECT_EQ(d["index"], open) << "deltas go to the open block";
      if (open < 0) continue;
      json &b = content[open];
      const json &dl = d["delta"];
      std::string t = str_or(dl, "type");
      if (t == "text_delta") {
        EXPECT_EQ(b["type"], "text");
        EXPECT_FALSE(dl["text"].get<std::string>().empty()) << "no empty deltas";
        b["text"] = b["text"].get<std::string>() + dl["text"].get<std::string>();
      } else if (t == "citations_delta") {
        EXPECT_EQ(b["type"], "text");
        EXPECT_EQ(dl["citation"]["type"], "web_search_result_location");
        if (!b.contains("citations")) b["citations"] = json::array();
        b["citations"].push_back(dl["citation"]);
      } else if (t == "thinking_delta") {
        EXPECT_EQ(b["type"], "thinking");
        EXPECT_TRUE(b["signature"] == "") << "thinking after its signature";
        b["thinking"] = b["thinking"].get<std::string>() + dl["thinking"].get<std::string>();
      } else if (t == "signature_delta") {
        EXPECT_EQ(b["type"], "thinking");
        EXPECT_TRUE(b["signature"] == "") << "one signature per block";
        b["signature"] = dl["signature"];
      } else {
        ADD_FAILURE() << "unknown delta " << t;
      }
      delta_seen = true;
    } else if (name == "content_block_stop") {
      EXPECT_EQ(d["index"], open);
      if (open >= 0) {
        const json &b = content[open];
        EXPECT_TRUE(delta_seen) << "no empty blocks";
        if (b["type"] == "thinking")
          EXPECT_TRUE(verify_thinking(opt.signing_key, b["thinking"].get<std::string>(),
                                      b["signature"].get<std::string>()))
              << "a thinking block stops signed";
      }
      open = -1;
    } else if (name == "message_delta") {
      EXPECT_EQ(open, -1) << "every block stopped before message_delta";
      s.message["stop_reason"] = d["delta"]["stop_reason"];
      s.message["stop_sequence"] = d["delta"]["stop_sequence"];
      EXPECT_TRUE(d["usage"]["output_tokens"].is_number_integer());
      for (auto it = d["usage"].begin(); it != d["usage"].end(); ++it)
        s.message["usage"][it.key()] = it.value();
    } else if (name == "message_stop") {
      EXPECT_FALSE(s.message["stop_reason"].is_null()) << "message_delta before message_stop";
      s.stopped = true;
    } else {
      ADD_FAILURE() << "unknown event " << name;
    }
  }
  EXPECT_EQ(s.pings, s.message.is_null() ? 0 : 1) << "one ping, after message_start";
  if (s.error.is_null()) EXPECT_TRUE(s.stopped) << "message_stop ends the stream";
  return s;
}

struct Rendered {
  std::string sse, body;
  MessagesRenderOptions opt;
  bool failed = false;
};

Rendered render_fixture(const json &fx) {
  Rendered r;
  r.opt = options_from(fx["options"]);
  MessagesRenderer s(r.opt, true), j(r.opt, false);
  s.begin();
  for (const auto &chunk : fx["chunks"]) {
    for (const auto &e : chunk) {
      s.on_event(event_from(e));
      j.on_event(event_from(e));
    }
    s.flush();
    j.flush();
    std::string block = s.take();
    EXPECT_TRUE(block.size() < 2 || block.compare(block.size() - 2, 2, "\n\n") == 0)
        << "a flushed block ends on an event boundary";
    r.sse += block;
  }
  const json &end = fx["end"];
  if (end.contains("error")) {
    ApiError e;
    e.status = static_cast<int>(int_or(end["error"], "status", 502));
    e.type = str_or(end["error"], "type");
    e.message = str_or(end["error"], "message");
    e.code = str_or(end["error"], "code");
    s.fail(e);
    r.failed = true;
  } else {
    auto reason = reason_from(str_or(end, "finish", "stop"));
    s.finish(reason);
    j.finish(reason);
    r.body = j.body();
    EXPECT_EQ(s.usage().completion, j.usage().completion);
    EXPECT_EQ(s.content(), j.content());
  }
  r.sse += s.take();
  EXPECT_TRUE(s.ended());
  return r;
}

void run_case(const std::string &name) {
  SCOPED_TRACE(name);
  auto fx = parse_json(read_file(kDir + name + ".events.json"));
  ASSERT_TRUE(fx.has_value()) << "bad fixture " << name;
  Rendered r = render_fixture(*fx);
  Seen seen = check_sdk_shape(r.sse, r.opt);
  if (updating()) {
    std::ofstream(kDir + name + ".sse", std::ios::binary) << r.sse;
    if (!r.failed) std::ofstream(kDir + name + ".json", std::ios::binary) << r.body << "\n";
  }
  EXPECT_EQ(r.sse, read_file(kDir + name + ".sse"));
  if (r.failed) {
    EXPECT_FALSE(seen.error.is_null());
    return;
  }
  std::string golden = read_file(kDir + name + ".json");
  if (!golden.empty() && golden.back() == '\n') golden.pop_back();
  EXPECT_EQ(r.body, golden);
  // The stream and the JSON body tell the same story.
  auto body = parse_json(r.body);
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ((*body)["content"], seen.message["content"]);
  EXPECT_EQ((*body)["stop_reason"], seen.message["stop_reason"]);
  EXPECT_EQ((*body)["stop_sequence"], seen.message["stop_sequence"]);
  EXPECT_EQ((*body)["usage"], seen.message["usage"]);
  EXPECT_EQ((*body)["id"], seen.message["id"]);
}

// Grok NDJSON bytes, split into two upstream chunks at `at` (npos: whole), decoded and
// rendered as a stream and as a body.
Rendered render_ndjson(const std::string &input, size_t at, const MessagesRenderOptions &opt) {
  Rendered r;
  r.opt = opt;
  struct Both : answer::EventSink {
    MessagesRenderer s, j;
    Both(const MessagesRenderOptions &o) : s(o, true), j(o, false) {}
    void on_event(answer::Event &&ev) override {
      answer::Event copy = ev;
      s.on_event(std::move(ev));
      j.on_event(std::move(copy));
    }
  } both(opt);
  grok::NdjsonDecoder dec(both);
  both.s.begin();
  std::vector<std::string> chunks;
  if (at == std::string::npos || at >= input.size())
    chunks.push_back(input);
  else
    chunks = {input.substr(0, at), input.substr(at)};
  for (const auto &c : chunks) {
    dec.feed(c);
    both.s.flush();
    r.sse += both.s.take();
  }
  dec.finish();
  both.s.finish(answer::StopReason::Stop);
  both.j.finish(answer::StopReason::Stop);
  r.sse += both.s.take();
  r.body = both.j.body();
  return r;
}

} // namespace

class AnthropicMessagesRenderGolden : public testing::TestWithParam<const char *> {};

TEST_P(AnthropicMessagesRenderGolden, MatchesFixture) {
  run_case(GetParam());
}

INSTANTIATE_TEST_SUITE_P(AnthropicFixtures, AnthropicMessagesRenderGolden,
                         testing::Values("plain_text", "thinking", "thinking_hidden", "citations",
                                         "mid_stream_error", "stop_sequence",
                                         "stop_sequence_unmatched", "length"));

class AnthropicMessagesEverySplit : public testing::TestWithParam<const char *> {};

TEST_P(AnthropicMessagesEverySplit, SameMessageWhereverTheUpstreamChunkSplits) {
  const std::string name = GetParam();
  const std::string input = read_file(kNdjson + name + ".ndjson");
  ASSERT_FALSE(input.empty());
  // Thinking hidden on the plain path; shown, with a stop sequence that never matches (so text
  // is held back and released), on the other.
  for (bool thinking : {false, true}) {
    {
      std::vector<std::string> stops;
      if (thinking) stops.push_back("zz-never-zz");
      MessagesRenderOptions opt;
      opt.id = "msg_split";
      opt.model = "claude-sonnet-4-6";
      opt.thinking = thinking;
      opt.input_tokens = 7;
      opt.signing_key = kKey;
      opt.stop_sequences = stops;
      Rendered whole = render_ndjson(input, std::string::npos, opt);
      Seen ws = check_sdk_shape(whole.sse, opt);
      auto body = parse_json(whole.body);
      ASSERT_TRUE(body.has_value());
      ASSERT_EQ((*body)["content"], ws.message["content"]) << name;
      ASSERT_FALSE((*body)["content"].empty()) << name << ": the fixture has an answer";
      // Rendered at every split; a stream already checked (most splits fall inside a line and
      // give the same bytes) is not replayed again.
      std::set<std::string> checked;
      for (size_t at = 1; at < input.size(); ++at) {
        Rendered split = render_ndjson(input, at, opt);
        ASSERT_EQ(split.body, whole.body) << name << " split at " << at;
        if (!checked.insert(split.sse).second) continue;
        Seen ss = check_sdk_shape(split.sse, opt);
        ASSERT_EQ(dump(ss.message), dump(ws.message)) << name << " split at " << at;
      }
      if (thinking) EXPECT_GT(checked.size(), 1u) << name << ": some split changes the chunking";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(NdjsonFixtures, AnthropicMessagesEverySplit,
                         testing::Values("thinking_header", "search_citation", "citation_split"));

namespace {

answer::Event ev(Kind k, std::string text) {
  answer::Event e;
  e.kind = k;
  e.text = std::move(text);
  return e;
}

MessagesRenderOptions opts() {
  MessagesRenderOptions o;
  o.id = "msg_1";
  o.model = "claude-haiku-4-5";
  o.input_tokens = 5;
  o.signing_key = kKey;
  return o;
}

} // namespace

TEST(AnthropicMessagesRender, ShortStreamExactBytes) {
  MessagesRenderer r(opts(), true);
  r.begin();
  r.on_event(ev(Kind::Text, "Hi"));
  r.on_event(ev(Kind::Text, " there"));
  r.finish(answer::StopReason::Stop);
  EXPECT_EQ(
      r.take(),
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
      "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5\",\"content\":[],"
      "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,"
      "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":0}}}\n\n"
      "event: ping\ndata: {\"type\":\"ping\"}\n\n"
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
      "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
      "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi there\"}}\n\n"
      "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
      "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
      "\"end_turn\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":5,"
      "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":3}}\n\n"
      "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
}

TEST(AnthropicMessagesRender, EmptyAnswerStillEndsProperly) {
  MessagesRenderer r(opts(), true);
  r.finish(answer::StopReason::Stop);
  Seen s = check_sdk_shape(r.take(), opts());
  EXPECT_EQ(s.message["content"], json::array());
  EXPECT_EQ(s.message["stop_reason"], "end_turn");
  EXPECT_FALSE(r.has_output());
}

TEST(AnthropicMessagesRender, NothingAfterTheEnd) {
  MessagesRenderer r(opts(), true);
  r.on_event(ev(Kind::Text, "a"));
  r.finish(answer::StopReason::Length);
  std::string out = r.take();
  r.on_event(ev(Kind::Text, "late"));
  r.flush();
  r.finish(answer::StopReason::Stop);
  r.fail(ApiError{});
  EXPECT_EQ(r.take(), "");
  EXPECT_EQ(check_sdk_shape(out, opts()).message["stop_reason"], "max_tokens");
}

TEST(AnthropicMessagesRender, FailAfterTextWritesTheTextThenOneErrorEvent) {
  MessagesRenderOptions o = opts();
  o.request_id = "req_abc";
  MessagesRenderer r(o, true);
  r.begin();
  r.on_event(ev(Kind::Text, "partial"));
  ApiError e;
  e.status = 502;
  e.message = "Grok closed the connection";
  e.code = "upstream_network";
  r.fail(e);
  std::string out = r.take();
  Seen s = check_sdk_shape(out, o);
  EXPECT_EQ(s.message["content"][0]["text"], "partial");
  EXPECT_EQ(s.error,
            (json{{"type", "error"},
                  {"error", {{"type", "api_error"}, {"message", "Grok closed the connection"}}},
                  {"request_id", "req_abc"}}));
  EXPECT_TRUE(r.ended());
}

TEST(AnthropicMessagesRender, StopSequenceAtTheVeryStartStillCountsAsAnAnswer) {
  MessagesRenderOptions o = opts();
  o.stop_sequences = {"STOP"};
  MessagesRenderer r(o, false);
  r.on_event(ev(Kind::Text, "STOP and nothing else"));
  EXPECT_TRUE(r.has_output()) << "an answer cut to nothing is not an empty upstream answer";
  r.finish(answer::StopReason::Stop);
  auto body = parse_json(r.body());
  ASSERT_TRUE(body);
  EXPECT_EQ((*body)["content"], json::array());
  EXPECT_EQ((*body)["stop_reason"], "stop_sequence");
  EXPECT_EQ((*body)["stop_sequence"], "STOP");
}

TEST(AnthropicMessagesRender, EarliestStopSequenceWins) {
  MessagesRenderOptions o = opts();
  o.stop_sequences = {"zeta", "beta", "alphabet"};
  MessagesRenderer r(o, false);
  r.on_event(ev(Kind::Text, "x alph"));
  r.on_event(ev(Kind::Text, "abet zeta"));
  r.finish(answer::StopReason::Stop);
  auto body = parse_json(r.body());
  ASSERT_TRUE(body);
  EXPECT_EQ((*body)["content"][0]["text"], "x ");
  EXPECT_EQ((*body)["stop_sequence"], "alphabet");
}

TEST(AnthropicMessagesRender, ThinkingAfterTextOpensANewSignedBlock) {
  MessagesRenderOptions o = opts();
  o.thinking = true;
  MessagesRenderer r(o, false);
  r.on_event(ev(Kind::Reasoning, "first"));
  r.on_event(ev(Kind::Text, "answer"));
  r.on_event(ev(Kind::Reasoning, "second"));
  r.finish(answer::StopReason::Stop);
  auto body = parse_json(r.body());
  ASSERT_TRUE(body);
  const json &c = (*body)["content"];
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0]["signature"], sign_thinking(kKey, "first"));
  EXPECT_EQ(c[1]["text"], "answer");
  EXPECT_EQ(c[2]["signature"], sign_thinking(kKey, "second"));
}

TEST(AnthropicMessagesRender, UsageCountsHiddenReasoning) {
  MessagesRenderer shown(
      [] {
        auto o = opts();
        o.thinking = true;
        return o;
      }(),
      false);
  MessagesRenderer hidden(opts(), false);
  for (auto *r : {&shown, &hidden}) {
    r->on_event(ev(Kind::Reasoning, "some reasoning words here"));
    r->on_event(ev(Kind::Text, "answer"));
    r->finish(answer::StopReason::Stop);
  }
  EXPECT_EQ(shown.usage().completion, hidden.usage().completion);
  EXPECT_EQ(hidden.usage().completion, answer::estimate_tokens("some reasoning words here") +
                                           answer::estimate_tokens("answer"));
  EXPECT_EQ(hidden.usage().prompt, 5);
}
