// OpenAI Responses renderer: golden event sequences (tests/native/fixtures/responses/
// <case>.events.json in -> <case>.sse and <case>.json out, byte for byte; rewrite with
// G2A_UPDATE_GOLDENS=1 and review the diff), every stream checked by an accumulator that applies
// the rules openai 7.x `responses.stream()` enforces and rebuilds the response from the events;
// the rebuilt response equals the one the last event carries and the non-streamed body. Upstream
// NDJSON fixtures are also decoded and rendered at every split of their bytes: the client sees
// the same response however the upstream chunks arrive.
#include "grok/ndjson_decoder.h"
#include "grok_event_json.h"
#include "openai/responses_renderer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

using namespace g2a;
using namespace g2a::openai;
using Kind = answer::Event::Kind;

namespace {

const std::string kDir = std::string(G2A_FIXTURES) + "/responses/";

bool updating() {
  const char *v = std::getenv("G2A_UPDATE_GOLDENS");
  return v && std::string(v) == "1";
}

ResponsesRequest default_request() {
  ResponsesRequest req;
  req.model = "grok-4";
  return req;
}

ResponsesRenderOptions options_from(const json &o) {
  ResponsesRenderOptions opt;
  opt.id = str_or(o, "id", "resp_0123456789abcdef01234567");
  opt.item_seed = str_or(o, "seed", "0123456789abcdef01234567");
  opt.created_at = int_or(o, "created_at", 1767225600);
  opt.model = str_or(o, "model", "grok-4");
  opt.show_reasoning = bool_or(o, "show_reasoning");
  opt.prompt_tokens = int_or(o, "prompt_tokens", 0);
  opt.max_output_tokens = int_or(o, "max_output_tokens", -1);
  ResponsesRequest req = default_request();
  if (opt.show_reasoning) req.reasoning_summary = "auto";
  req.max_output_tokens = opt.max_output_tokens;
  opt.echo = response_echo(req);
  return opt;
}

answer::Event event_from(const json &e) {
  static const std::pair<const char *, Kind> kinds[] = {
      {"meta", Kind::Meta},         {"text", Kind::Text},     {"reasoning", Kind::Reasoning},
      {"citation", Kind::Citation}, {"source", Kind::Source}, {"image", Kind::Image},
      {"video", Kind::Video},       {"error", Kind::Error},   {"done", Kind::Done},
      {"tool_call", Kind::ToolCall}};
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
  return ev;
}

ApiError error_from(const json &e) {
  ApiError err;
  err.status = static_cast<int>(int_or(e, "status", 502));
  err.type = str_or(e, "type", "upstream_error");
  err.message = str_or(e, "message", "upstream failed");
  err.code = str_or(e, "code");
  return err;
}

// What a strict client rebuilds from the stream.
struct Seen {
  json output = json::array();
  json last; // the response the final event carries
  std::string last_type;
  std::vector<std::string> types;
};

const std::set<std::string> kKnownEvents = {"response.created",
                                            "response.in_progress",
                                            "response.output_item.added",
                                            "response.output_item.done",
                                            "response.content_part.added",
                                            "response.content_part.done",
                                            "response.output_text.delta",
                                            "response.output_text.done",
                                            "response.output_text.annotation.added",
                                            "response.reasoning_summary_part.added",
                                            "response.reasoning_summary_part.done",
                                            "response.reasoning_summary_text.delta",
                                            "response.reasoning_summary_text.done",
                                            "response.web_search_call.in_progress",
                                            "response.web_search_call.searching",
                                            "response.web_search_call.completed",
                                            "response.function_call_arguments.delta",
                                            "response.function_call_arguments.done",
                                            "response.custom_tool_call_input.delta",
                                            "response.custom_tool_call_input.done",
                                            "response.completed",
                                            "response.incomplete",
                                            "response.failed"};

// The checks of openai 7.x ResponseStream / response-accumulator, applied to every event.
Seen accumulate(const std::string &sse, const std::string &id) {
  Seen s;
  std::vector<bool> done;
  std::set<std::string> ids;
  long long seq = 0;
  size_t pos = 0;
  EXPECT_TRUE(sse.size() >= 2 && sse.compare(sse.size() - 2, 2, "\n\n") == 0);
  while (pos < sse.size()) {
    size_t end = sse.find("\n\n", pos);
    if (end == std::string::npos) {
      ADD_FAILURE() << "unterminated event at " << pos;
      break;
    }
    std::string frame = sse.substr(pos, end - pos);
    pos = end + 2;
    EXPECT_TRUE(s.last_type.empty()) << "nothing after " << s.last_type;
    size_t nl = frame.find('\n');
    EXPECT_EQ(frame.rfind("event: ", 0), 0u) << frame;
    std::string type = frame.substr(7, nl - 7);
    EXPECT_EQ(frame.compare(nl + 1, 6, "data: "), 0) << frame;
    EXPECT_EQ(frame.find('\n', nl + 1), std::string::npos) << "one data line: " << frame;
    auto parsed = parse_json(frame.substr(nl + 7));
    if (!parsed) {
      ADD_FAILURE() << "bad JSON " << frame;
      continue;
    }
    json e = *parsed;
    s.types.push_back(type);
    EXPECT_EQ(e["type"], type);
    EXPECT_EQ(e["sequence_number"], seq++) << frame;
    EXPECT_TRUE(kKnownEvents.count(type)) << "unknown event type " << type;
    if (s.types.size() == 1) EXPECT_EQ(type, "response.created");
    if (s.types.size() == 2) EXPECT_EQ(type, "response.in_progress");
    if (e.contains("response")) {
      EXPECT_EQ(e["response"]["id"], id);
      EXPECT_EQ(e["response"]["object"], "response");
      EXPECT_TRUE(e["response"]["created_at"].is_number_integer());
      if (type == "response.completed" || type == "response.incomplete" ||
          type == "response.failed") {
        s.last = e["response"];
        s.last_type = type;
        if (type == "response.completed")
          for (size_t i = 0; i < done.size(); ++i) EXPECT_TRUE(done[i]) << "item " << i << " open";
        const json &u = s.last["usage"];
        for (const char *k : {"input_tokens", "output_tokens", "total_tokens"})
          EXPECT_TRUE(u[k].is_number_integer()) << k;
        EXPECT_TRUE(u["output_tokens_details"]["reasoning_tokens"].is_number_integer());
        EXPECT_EQ(u["input_tokens_details"]["cached_tokens"], 0);
      } else {
        EXPECT_EQ(e["response"]["status"], "in_progress");
        EXPECT_TRUE(e["response"]["usage"].is_null());
      }
      continue;
    }
    long long oi = e.value("output_index", -1LL);
    if (type == "response.output_item.added") {
      EXPECT_EQ(oi, static_cast<long long>(s.output.size())) << "append-only output_index";
      std::string item_id = e["item"].value("id", "");
      EXPECT_FALSE(item_id.empty());
      EXPECT_TRUE(ids.insert(item_id).second) << "duplicate id " << item_id;
      s.output.push_back(e["item"]);
      done.push_back(false);
      continue;
    }
    if (oi < 0 || oi >= static_cast<long long>(s.output.size())) {
      ADD_FAILURE() << "missing output at index " << oi << ": " << frame;
      continue;
    }
    json &item = s.output[oi];
    EXPECT_FALSE(done[oi]) << "event for a finished item: " << frame;
    if (type == "response.output_item.done") {
      EXPECT_EQ(e["item"]["id"], item["id"]);
      EXPECT_EQ(e["item"]["type"], item["type"]);
      item = e["item"];
      done[oi] = true;
      continue;
    }
    EXPECT_EQ(e["item_id"], item["id"]) << frame;
    if (type.rfind("response.web_search_call.", 0) == 0) {
      EXPECT_EQ(item["type"], "web_search_call");
      continue;
    }
    if (type.rfind("response.function_call_arguments.", 0) == 0 ||
        type.rfind("response.custom_tool_call_input.", 0) == 0) {
      bool fn = type[9] == 'f';
      EXPECT_EQ(item["type"], fn ? "function_call" : "custom_tool_call") << frame;
      EXPECT_TRUE(item["call_id"].is_string()) << frame;
      const char *field = fn ? "arguments" : "input";
      if (type.size() > 6 && type.compare(type.size() - 6, 6, ".delta") == 0)
        item[field] = item[field].get<std::string>() + e["delta"].get<std::string>();
      else
        EXPECT_EQ(item[field], e[field]) << frame;
      continue;
    }
    if (type.rfind("response.reasoning_summary", 0) == 0) {
      EXPECT_EQ(item["type"], "reasoning");
      json &summary = item["summary"];
      size_t si = e["summary_index"].get<size_t>();
      if (type == "response.reasoning_summary_part.added") {
        EXPECT_EQ(si, summary.size());
        summary.push_back(e["part"]);
      } else if (si >= summary.size()) {
        ADD_FAILURE() << "missing summary part " << frame;
      } else if (type == "response.reasoning_summary_text.delta") {
        summary[si]["text"] =
            summary[si]["text"].get<std::string>() + e["delta"].get<std::string>();
      } else if (type == "response.reasoning_summary_text.done") {
        EXPECT_EQ(summary[si]["text"], e["text"]);
      } else {
        EXPECT_EQ(summary[si], e["part"]);
      }
      continue;
    }
    EXPECT_EQ(item["type"], "message") << frame;
    json &content = item["content"];
    size_t ci = e["content_index"].get<size_t>();
    if (type == "response.content_part.added") {
      EXPECT_EQ(ci, content.size());
      content.push_back(e["part"]);
      continue;
    }
    if (ci >= content.size()) {
      ADD_FAILURE() << "missing content " << frame;
      continue;
    }
    json &part = content[ci];
    EXPECT_EQ(part["type"], "output_text");
    if (type == "response.output_text.delta") {
      part["text"] = part["text"].get<std::string>() + e["delta"].get<std::string>();
    } else if (type == "response.output_text.annotation.added") {
      EXPECT_EQ(e["annotation_index"], part["annotations"].size());
      part["annotations"].push_back(e["annotation"]);
    } else if (type == "response.output_text.done") {
      EXPECT_EQ(part["text"], e["text"]);
    } else if (type == "response.content_part.done") {
      EXPECT_EQ(part, e["part"]);
    }
  }
  EXPECT_FALSE(s.last_type.empty()) << "the stream must end with completed/incomplete/failed";
  return s;
}

struct Rendered {
  std::string sse, body;
  ResponsesRenderOptions opt;
  bool failed = false;
  json final_stream, final_json;
};

Rendered render_fixture(const json &fx) {
  Rendered r;
  r.opt = options_from(fx["options"]);
  auto final_stream = std::make_shared<FinalResponse>(),
       final_json = std::make_shared<FinalResponse>();
  ResponsesRenderOptions so = r.opt, jo = r.opt;
  so.final_response = final_stream;
  jo.final_response = final_json;
  ResponsesRenderer s(so, true), j(jo, false);
  s.begin();
  for (const auto &chunk : fx["chunks"]) {
    for (const auto &e : chunk) {
      s.on_event(event_from(e));
      j.on_event(event_from(e));
    }
    s.flush();
    j.flush();
    r.sse += s.take();
    EXPECT_TRUE(j.take().empty()) << "the JSON form writes nothing until the end";
  }
  const json &end = fx["end"];
  if (end.contains("error")) {
    s.fail(error_from(end["error"]));
    r.failed = true;
  } else {
    s.finish(answer::StopReason::Stop);
    j.finish(answer::StopReason::Stop);
    r.body = j.body();
    EXPECT_EQ(dump(responses_usage_json(s.usage())), dump(responses_usage_json(j.usage())));
  }
  r.sse += s.take();
  EXPECT_TRUE(s.ended());
  r.final_stream = *parse_json(final_stream->json);
  if (!final_json->json.empty()) r.final_json = *parse_json(final_json->json);
  EXPECT_EQ(final_stream->status, r.final_stream["status"]);
  return r;
}

void run_case(const std::string &name) {
  SCOPED_TRACE(name);
  auto fx = parse_json(test::read_file(kDir + name + ".events.json"));
  ASSERT_TRUE(fx.has_value()) << "bad fixture " << name;
  Rendered r = render_fixture(*fx);
  Seen seen = accumulate(r.sse, r.opt.id);
  if (updating()) {
    std::ofstream(kDir + name + ".sse", std::ios::binary) << r.sse;
    if (!r.failed) std::ofstream(kDir + name + ".json", std::ios::binary) << r.body << "\n";
  }
  EXPECT_EQ(r.sse, test::read_file(kDir + name + ".sse"));
  // The last event's response is what the events built, and what the flow stores.
  EXPECT_EQ(dump(seen.last["output"]), dump(seen.output));
  EXPECT_EQ(dump(seen.last), dump(r.final_stream));
  if (r.failed) {
    EXPECT_EQ(seen.last_type, "response.failed");
    EXPECT_EQ(seen.last["status"], "failed");
    EXPECT_TRUE(seen.last["error"]["code"].is_string());
    return;
  }
  std::string golden = test::read_file(kDir + name + ".json");
  if (!golden.empty() && golden.back() == '\n') golden.pop_back();
  EXPECT_EQ(r.body, golden);
  EXPECT_EQ(r.body, dump(r.final_json));
  EXPECT_EQ(r.body, dump(seen.last)) << "stream and body tell the same story";
}

} // namespace

class ResponsesRenderGolden : public testing::TestWithParam<const char *> {};

TEST_P(ResponsesRenderGolden, MatchesFixture) {
  run_case(GetParam());
}

INSTANTIATE_TEST_SUITE_P(ResponsesFixtures, ResponsesRenderGolden,
                         testing::Values("plain_text", "reasoning_summary", "reasoning_hidden",
                                         "citations", "mid_stream_error", "max_output_tokens",
                                         "images", "tool_calls"));

// Upstream bytes at every split: decoded by the REST decoder, one flush per upstream chunk (as
// AnswerSink does), the client's rebuilt response is the same as with the whole body at once.
class ResponsesRenderSplits : public testing::TestWithParam<const char *> {};

json render_ndjson(const std::string &input, size_t split, bool show_reasoning, std::string &sse) {
  ResponsesRenderOptions opt = options_from(json{{"show_reasoning", show_reasoning}});
  auto final_response = std::make_shared<FinalResponse>();
  opt.final_response = final_response;
  ResponsesRenderer r(opt, true);
  grok::NdjsonDecoder dec(r);
  r.begin();
  for (size_t at = 0; at < input.size(); at += split) {
    std::string chunk = input.substr(at, split);
    dec.feed(chunk);
    r.flush();
    sse += r.take();
  }
  dec.finish();
  r.finish(answer::StopReason::Stop);
  sse += r.take();
  return *parse_json(final_response->json);
}

TEST_P(ResponsesRenderSplits, SameResponseAtEverySplit) {
  const std::string input =
      test::read_file(std::string(G2A_FIXTURES) + "/ndjson/" + GetParam() + ".ndjson");
  ASSERT_FALSE(input.empty());
  for (bool show : {false, true}) {
    std::string whole_sse;
    json whole = render_ndjson(input, input.size(), show, whole_sse);
    Seen ws = accumulate(whole_sse, "resp_0123456789abcdef01234567");
    ASSERT_EQ(dump(ws.last), dump(whole));
    ASSERT_EQ(whole["status"], "completed");
    for (size_t split = 1; split <= 64; ++split) {
      std::string sse;
      json got = render_ndjson(input, split, show, sse);
      ASSERT_EQ(dump(got), dump(whole)) << GetParam() << " split " << split;
      Seen seen = accumulate(sse, "resp_0123456789abcdef01234567");
      ASSERT_EQ(dump(seen.last), dump(whole)) << GetParam() << " split " << split;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(NdjsonInputs, ResponsesRenderSplits,
                         testing::Values("normal", "search_citation", "citation_split",
                                         "data_prefixed"));

TEST(ResponsesRender, CitationIndicesAreCodePointsOfTheText) {
  ResponsesRenderOptions opt = options_from(json::object());
  ResponsesRenderer r(opt, false);
  answer::Event t1;
  t1.kind = Kind::Text;
  t1.text = "Café ☕ ";
  r.on_event(std::move(t1));
  answer::Event c;
  c.kind = Kind::Citation;
  c.text = "[[1]](https://e.com/é)";
  c.url = "https://e.com/é";
  c.title = "É";
  r.on_event(std::move(c));
  r.finish(answer::StopReason::Stop);
  auto body = parse_json(r.body());
  ASSERT_TRUE(body);
  const json &part = (*body)["output"][0]["content"][0];
  const json &a = part["annotations"][0];
  EXPECT_EQ(a["type"], "url_citation");
  EXPECT_EQ(a["start_index"], 7); // "Café ☕ " is 7 code points (10 bytes)
  EXPECT_EQ(a["end_index"], 7 + 22);
  EXPECT_EQ(a["url"], "https://e.com/é");
}

TEST(ResponsesRender, HiddenReasoningStillCountsAsReasoningTokens) {
  ResponsesRenderOptions opt = options_from(json::object());
  ResponsesRenderer r(opt, false);
  answer::Event e;
  e.kind = Kind::Reasoning;
  e.text = "one two three four";
  r.on_event(std::move(e));
  EXPECT_FALSE(r.has_output());
  answer::Event t;
  t.kind = Kind::Text;
  t.text = "Done";
  r.on_event(std::move(t));
  r.finish(answer::StopReason::Stop);
  auto body = parse_json(r.body());
  ASSERT_TRUE(body);
  EXPECT_EQ((*body)["output"].size(), 1u) << "no reasoning item unless a summary was asked";
  EXPECT_EQ((*body)["usage"]["output_tokens_details"]["reasoning_tokens"],
            answer::estimate_tokens("one two three four"));
  EXPECT_EQ((*body)["usage"]["output_tokens"],
            answer::estimate_tokens("one two three four") + answer::estimate_tokens("Done"));
}

TEST(ResponsesRender, ALengthStopIsIncomplete) {
  // A looping answer cut by the quality guard ends with StopReason::Length: the response is
  // incomplete (max_output_tokens), in JSON and as the stream's last event.
  for (bool stream : {false, true}) {
    ResponsesRenderOptions opt = options_from(json::object());
    ResponsesRenderer r(opt, stream);
    answer::Event t;
    t.kind = Kind::Text;
    t.text = "again and again";
    r.on_event(std::move(t));
    r.finish(answer::StopReason::Length);
    std::string out = stream ? r.take() : r.body();
    if (stream) {
      EXPECT_NE(out.find("event: response.incomplete"), std::string::npos) << out;
      EXPECT_EQ(out.find("response.completed"), std::string::npos) << out;
      out = out.substr(out.rfind("data: ") + 6);
    }
    auto body = parse_json(out);
    ASSERT_TRUE(body) << out;
    const json &resp = stream ? (*body)["response"] : *body;
    EXPECT_EQ(resp["status"], "incomplete");
    EXPECT_EQ(resp["incomplete_details"], json({{"reason", "max_output_tokens"}}));
  }
}

TEST(ResponsesRender, NothingAfterTheEnd) {
  ResponsesRenderOptions opt = options_from(json::object());
  ResponsesRenderer r(opt, true);
  answer::Event t;
  t.kind = Kind::Text;
  t.text = "Hi";
  r.on_event(std::move(t));
  r.finish(answer::StopReason::Stop);
  std::string out = r.take();
  answer::Event late;
  late.kind = Kind::Text;
  late.text = "late";
  r.on_event(std::move(late));
  r.fail(ApiError{});
  r.finish(answer::StopReason::Stop);
  EXPECT_EQ(r.take(), "");
  EXPECT_EQ(out.find("late"), std::string::npos);
  EXPECT_EQ(r.content(), "Hi");
}

TEST(ResponsesRender, EchoRepeatsTheRequest) {
  ResponsesRequest req = default_request();
  req.has_instructions = true;
  req.instructions = "Be brief.";
  req.metadata = {{"a", "1"}};
  req.previous_response_id = "resp_x";
  req.store = false;
  req.reasoning_effort = "high";
  json e = response_echo(req);
  EXPECT_EQ(e["instructions"], "Be brief.");
  EXPECT_EQ(e["metadata"], json({{"a", "1"}}));
  EXPECT_EQ(e["previous_response_id"], "resp_x");
  EXPECT_EQ(e["store"], false);
  EXPECT_EQ(e["reasoning"], json({{"effort", "high"}, {"summary", nullptr}}));
  EXPECT_TRUE(e["max_output_tokens"].is_null());
}
