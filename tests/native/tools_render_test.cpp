// Tool calls end to end inside the core: answer text through the SievingRenderer
// (tools/sieving_renderer.h) into the Chat Completions and Anthropic Messages renderers, streamed
// (the exact frames) and not (the body), with the answer split at every byte; and with_tools()
// leaves a request without tools on its plain renderer.
#include "anthropic/messages_renderer.h"
#include "core/json.h"
#include "openai/chat_renderer.h"
#include "tools/json_output.h"
#include "tools/sieving_renderer.h"

#include <gtest/gtest.h>

using namespace g2a;

namespace {

const std::string kAnswer =
    "Checking.\n<tool_call name=\"get_weather\">{\"city\": \"Paris\",}</tool_call>\n"
    "<tool_call name=\"get_weather\">{\"city\": \"Rome\"}</tool_call>\n";

answer::Conversation conversation() {
  answer::Conversation c;
  answer::ToolSpec t;
  t.name = "get_weather";
  t.parameters = R"({"type":"object","properties":{"city":{"type":"string"}},"required":["city"]})";
  c.tools.push_back(t);
  return c;
}

answer::Event text(std::string s) {
  answer::Event ev;
  ev.kind = answer::Event::Kind::Text;
  ev.text = std::move(s);
  return ev;
}

openai::ChatRenderOptions chat_options() {
  openai::ChatRenderOptions o;
  o.id = "chatcmpl-1";
  o.created = 1767225600;
  o.model = "grok-4";
  return o;
}

// Feeds the answer in two pieces split at `at`, one flush per piece, as AnswerSink does.
std::string run(answer::Renderer &r, size_t at, std::string *body = nullptr) {
  std::string out;
  r.begin();
  for (std::string piece : {kAnswer.substr(0, at), kAnswer.substr(at)}) {
    if (!piece.empty()) r.on_event(text(piece));
    r.flush();
    out += r.take();
  }
  r.finish(answer::StopReason::Stop);
  out += r.take();
  if (body) *body = r.body();
  return out;
}

std::vector<json> data_lines(const std::string &sse) {
  std::vector<json> out;
  size_t pos = 0;
  while ((pos = sse.find("data: ", pos)) != std::string::npos) {
    size_t end = sse.find('\n', pos);
    std::string d = sse.substr(pos + 6, end - pos - 6);
    pos = end;
    if (d == "[DONE]") continue;
    out.push_back(parse_json(d).value_or(json()));
  }
  return out;
}

} // namespace

TEST(ToolsRender, WithoutToolsThePlainRendererIsUsed) {
  answer::Conversation c;
  auto inner = std::make_unique<openai::ChatCompletionsRenderer>(chat_options(), true);
  answer::Renderer *raw = inner.get();
  EXPECT_EQ(tools::with_tools(std::move(inner), c, "call_x").get(), raw);
  c = conversation();
  c.tool_choice.mode = answer::ToolChoice::Mode::None;
  inner = std::make_unique<openai::ChatCompletionsRenderer>(chat_options(), true);
  raw = inner.get();
  EXPECT_EQ(tools::with_tools(std::move(inner), c, "call_x").get(), raw);
}

TEST(ToolsRender, ChatStreamFramesAtEverySplit) {
  answer::Conversation c = conversation();
  std::string first;
  for (size_t at = 0; at <= kAnswer.size(); ++at) {
    auto r = tools::with_tools(
        std::make_unique<openai::ChatCompletionsRenderer>(chat_options(), true), c, "call_ab");
    std::string sse = run(*r, at);
    // What a client accumulates: content, and the calls by index.
    std::string content;
    json calls = json::array();
    std::string finish;
    for (const json &d : data_lines(sse)) {
      const json &ch = d["choices"][0];
      const json &delta = ch["delta"];
      if (delta.contains("content")) content += delta["content"].get<std::string>();
      if (delta.contains("tool_calls"))
        for (const json &tc : delta["tool_calls"]) {
          size_t i = tc["index"].get<size_t>();
          if (i == calls.size()) {
            EXPECT_EQ(tc["type"], "function");
            EXPECT_TRUE(tc["id"].is_string());
            calls.push_back(
                {{"id", tc["id"]}, {"name", tc["function"]["name"]}, {"arguments", ""}});
          }
          calls[i]["arguments"] = calls[i]["arguments"].get<std::string>() +
                                  tc["function"]["arguments"].get<std::string>();
        }
      if (ch["finish_reason"].is_string()) finish = ch["finish_reason"];
    }
    EXPECT_EQ(content, "Checking.\n") << at;
    EXPECT_EQ(dump(calls),
              R"([{"id":"call_ab_0","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},)"
              R"({"id":"call_ab_1","name":"get_weather","arguments":"{\"city\":\"Rome\"}"}])")
        << at;
    EXPECT_EQ(finish, "tool_calls") << at;
    if (at == 0) first = sse;
  }
  // The exact frames of the whole answer at once.
  EXPECT_NE(
      first.find(
          R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,"model":"grok-4","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_ab_0","type":"function","function":{"name":"get_weather","arguments":""}}]},"logprobs":null,"finish_reason":null}]})"
          "\n\n"
          R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,"model":"grok-4","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":\"Paris\"}"}}]},"logprobs":null,"finish_reason":null}]})"),
      std::string::npos)
      << first;
}

TEST(ToolsRender, ChatJsonBody) {
  answer::Conversation c = conversation(); // the renderer points into its tools
  auto r = tools::with_tools(
      std::make_unique<openai::ChatCompletionsRenderer>(chat_options(), false), c, "call_ab");
  std::string body;
  run(*r, 7, &body);
  json b = parse_json(body).value_or(json());
  const json &choice = b["choices"][0];
  EXPECT_EQ(choice["finish_reason"], "tool_calls");
  EXPECT_EQ(choice["message"]["content"], "Checking.\n");
  EXPECT_EQ(
      dump(choice["message"]["tool_calls"][1]),
      R"({"id":"call_ab_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}})");
  EXPECT_GT(b["usage"]["completion_tokens"].get<long long>(), 5);
}

TEST(ToolsRender, ChatJsonContentIsNullWithOnlyCalls) {
  answer::Conversation c = conversation();
  auto r = tools::with_tools(
      std::make_unique<openai::ChatCompletionsRenderer>(chat_options(), false), c, "call_ab");
  r->on_event(text("<tool_call name=\"get_weather\">{\"city\":\"X\"}</tool_call>\n\n"));
  r->finish(answer::StopReason::Stop);
  json b = parse_json(r->body()).value_or(json());
  EXPECT_TRUE(b["choices"][0]["message"]["content"].is_null());
}

TEST(ToolsRender, MessagesStreamAndBody) {
  anthropic::MessagesRenderOptions o;
  o.id = "msg_1";
  o.model = "claude-sonnet-4-6";
  answer::Conversation c = conversation();
  for (size_t at = 0; at <= kAnswer.size(); ++at) {
    auto s =
        tools::with_tools(std::make_unique<anthropic::MessagesRenderer>(o, true), c, "toolu_ab");
    std::string sse = run(*s, at);
    // Block starts in index order: text, tool_use, tool_use; each tool_use has one
    // input_json_delta; the message ends with stop_reason tool_use.
    std::vector<std::string> starts;
    std::string json_deltas;
    for (const json &d : data_lines(sse)) {
      if (d["type"] == "content_block_start") {
        EXPECT_EQ(d["index"], starts.size());
        starts.push_back(d["content_block"]["type"]);
        if (d["content_block"]["type"] == "tool_use") {
          EXPECT_EQ(dump(d["content_block"]["input"]), "{}");
          EXPECT_EQ(d["content_block"]["name"], "get_weather");
        }
      }
      if (d["type"] == "content_block_delta" && d["delta"]["type"] == "input_json_delta")
        json_deltas += d["delta"]["partial_json"].get<std::string>() + "|";
      if (d["type"] == "message_delta") EXPECT_EQ(d["delta"]["stop_reason"], "tool_use");
    }
    EXPECT_EQ(starts, (std::vector<std::string>{"text", "tool_use", "tool_use"})) << at;
    EXPECT_EQ(json_deltas, R"({"city":"Paris"}|{"city":"Rome"}|)") << at;
  }
  auto j =
      tools::with_tools(std::make_unique<anthropic::MessagesRenderer>(o, false), c, "toolu_ab");
  std::string body;
  run(*j, 3, &body);
  json b = parse_json(body).value_or(json());
  EXPECT_EQ(b["stop_reason"], "tool_use");
  EXPECT_EQ(
      dump(b["content"]),
      R"([{"type":"text","text":"Checking.\n"},{"type":"tool_use","id":"toolu_ab_0","name":"get_weather","input":{"city":"Paris"}},)"
      R"({"type":"tool_use","id":"toolu_ab_1","name":"get_weather","input":{"city":"Rome"}}])");
}

TEST(ToolsRender, HeldTextCountsAsOutputBeforeTheEnd) {
  // The flow checks has_output() before finish(): a call still held (left open until the end)
  // must not look like an empty answer.
  answer::Conversation c = conversation();
  auto r = tools::with_tools(
      std::make_unique<openai::ChatCompletionsRenderer>(chat_options(), false), c, "call_ab");
  r->on_event(text("<tool_call name=\"get_weather\">{\"city\": \"Oslo\"}"));
  EXPECT_TRUE(r->has_output());
  r->finish(answer::StopReason::Stop);
  json b = parse_json(r->body()).value_or(json());
  EXPECT_EQ(b["choices"][0]["finish_reason"], "tool_calls");
  EXPECT_EQ(b["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"],
            R"({"city":"Oslo"})");
}

TEST(ToolsRender, JsonOutputIsCutRepairedAndCheckedAtTheEnd) {
  answer::Conversation c;
  c.format.type = answer::OutputFormat::Type::JsonSchema;
  c.format.schema = R"({"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]})";
  auto r = tools::with_tools(
      std::make_unique<openai::ChatCompletionsRenderer>(chat_options(), false), c, "call_ab");
  r->on_event(text("Sure! Here it is:\n```json\n{\"n\": \"42\","));
  EXPECT_TRUE(r->has_output()); // held, not lost
  r->on_event(text("}\n```\nAnything else?"));
  r->finish(answer::StopReason::Stop);
  json b = parse_json(r->body()).value_or(json());
  EXPECT_EQ(b["choices"][0]["message"]["content"], R"({"n":42})");

  // Nothing recoverable: the text goes through unchanged.
  auto r2 = tools::with_tools(
      std::make_unique<openai::ChatCompletionsRenderer>(chat_options(), false), c, "call_ab");
  r2->on_event(text("I cannot answer in JSON."));
  r2->finish(answer::StopReason::Stop);
  b = parse_json(r2->body()).value_or(json());
  EXPECT_EQ(b["choices"][0]["message"]["content"], "I cannot answer in JSON.");
}

TEST(ToolsRender, ExtractJsonObject) {
  EXPECT_EQ(tools::extract_json_object("x {\"a\": \"}\"} y {\"b\":1}", ""), R"({"a":"}"})");
  EXPECT_EQ(tools::extract_json_object("{\"a\": [1, 2,", ""), R"({"a":[1,2]})");
  EXPECT_FALSE(tools::extract_json_object("no json here", "").has_value());
  EXPECT_FALSE(tools::extract_json_object("{\"a\":1}", R"({"required":["b"]})").has_value());
}
