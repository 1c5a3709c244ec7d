// Strict structured output (tools/json_output.h): a strict json_schema answer is held —
// holding() keeps the client response from starting — and output_problem() says what failed
// when it cannot be recovered, so the attempt answers with invalid_structured_output (502)
// instead of JSON that breaks the schema. A non-strict format keeps the best effort: the text
// as it is. An answer that makes a tool call is not held to the format.
#include "core/json.h"
#include "openai/chat_renderer.h"
#include "tools/json_output.h"
#include "tools/sieving_renderer.h"

#include <gtest/gtest.h>

using namespace g2a;

namespace {

answer::Conversation conversation(bool strict) {
  answer::Conversation c;
  c.format.type = answer::OutputFormat::Type::JsonSchema;
  c.format.name = "answer";
  c.format.schema = R"({"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]})";
  c.format.strict = strict;
  return c;
}

answer::Event event(answer::Event::Kind kind, std::string s) {
  answer::Event ev;
  ev.kind = kind;
  ev.text = std::move(s);
  return ev;
}

std::unique_ptr<answer::Renderer> renderer(const answer::Conversation &c, bool stream) {
  openai::ChatRenderOptions o;
  o.id = "chatcmpl-1";
  o.created = 1767225600;
  o.model = "grok-4";
  return tools::with_tools(std::make_unique<openai::ChatCompletionsRenderer>(o, stream), c,
                           "call_ab");
}

} // namespace

TEST(ToolsStrictOutput, AnswerWithoutJsonIsHeldAndNamed) {
  auto r = renderer(conversation(true), true);
  EXPECT_TRUE(r->holding());
  r->on_event(event(answer::Event::Kind::Reasoning, "thinking"));
  r->on_event(event(answer::Event::Kind::Text, "I cannot answer in JSON."));
  EXPECT_TRUE(r->holding());
  EXPECT_EQ(r->output_problem(), "schema 'answer': no JSON object in the answer");
  EXPECT_TRUE(r->holding()); // still nothing for the client
}

TEST(ToolsStrictOutput, SchemaViolationAndBrokenJsonAreNamed) {
  auto r = renderer(conversation(true), false);
  r->on_event(event(answer::Event::Kind::Text, "```json\n{\"m\": 1}\n```"));
  EXPECT_EQ(r->output_problem(), "schema 'answer': missing required property 'n'");
  auto r2 = renderer(conversation(true), false);
  r2->on_event(event(answer::Event::Kind::Text, "{\"n\": one}"));
  EXPECT_EQ(r2->output_problem(), "schema 'answer': the answer's JSON is not valid JSON");
}

TEST(ToolsStrictOutput, RecoverableAnswerIsGivenRepaired) {
  auto r = renderer(conversation(true), false);
  r->on_event(event(answer::Event::Kind::Text, "Here:\n{\"n\": \"42\","));
  r->on_event(event(answer::Event::Kind::Text, "}"));
  EXPECT_EQ(r->output_problem(), "");
  r->finish(answer::StopReason::Stop);
  EXPECT_FALSE(r->holding());
  json b = parse_json(r->body()).value_or(json());
  EXPECT_EQ(b["choices"][0]["message"]["content"], R"({"n":42})");
}

TEST(ToolsStrictOutput, NonStrictKeepsTheBestEffort) {
  auto r = renderer(conversation(false), false);
  EXPECT_FALSE(r->holding());
  r->on_event(event(answer::Event::Kind::Text, "I cannot answer in JSON."));
  EXPECT_EQ(r->output_problem(), "");
  r->finish(answer::StopReason::Stop);
  json b = parse_json(r->body()).value_or(json());
  EXPECT_EQ(b["choices"][0]["message"]["content"], "I cannot answer in JSON.");
}

TEST(ToolsStrictOutput, AToolCallIsNotHeldToTheFormat) {
  answer::Conversation c = conversation(true);
  answer::ToolSpec t;
  t.name = "get_weather";
  t.parameters = R"({"type":"object","properties":{"city":{"type":"string"}}})";
  c.tools.push_back(t);
  auto r = renderer(c, false);
  r->on_event(event(answer::Event::Kind::Text,
                    "<tool_call name=\"get_weather\">{\"city\": \"Oslo\"}</tool_call>"));
  EXPECT_EQ(r->output_problem(), "");
  r->finish(answer::StopReason::Stop);
  json b = parse_json(r->body()).value_or(json());
  EXPECT_EQ(b["choices"][0]["finish_reason"], "tool_calls");
}

TEST(ToolsStrictOutput, TheErrorIsA502ServerErrorNamingTheProblem) {
  ApiError e = tools::invalid_structured_output("schema 'answer': missing required property 'n'");
  EXPECT_EQ(e.status, 502);
  EXPECT_EQ(e.type, "server_error");
  EXPECT_EQ(e.code, "invalid_structured_output");
  EXPECT_NE(e.message.find("missing required property 'n'"), std::string::npos);
  EXPECT_EQ(e.param, "");
}
