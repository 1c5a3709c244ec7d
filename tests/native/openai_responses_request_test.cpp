// Responses request parsing: every rejected shape maps to an exact status/param/code, every
// accepted input form lands in the parsed request as neutral turns, and the conversation puts
// the instructions first and the replayed history before the new input.
#include "openai/responses_request.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::openai;

namespace {

std::string with(const std::string &input, const std::string &extra = "") {
  return R"({"model":"grok-4","input":)" + input + extra + "}";
}

ResponsesRequest ok(const std::string &body) {
  auto r = parse_responses_request(body);
  if (auto *e = std::get_if<ApiError>(&r)) {
    ADD_FAILURE() << body << " -> " << e->message;
    return {};
  }
  return std::get<ResponsesRequest>(r);
}

} // namespace

TEST(OpenAIResponsesRequest, RejectsBadInputsWithExactParamAndCode) {
  struct Bad {
    std::string body, param, code;
  };
  const std::string many = [] {
    std::string s = "[";
    for (int i = 0; i < 1001; ++i)
      s += std::string(i ? "," : "") + R"({"role":"user","content":"x"})";
    return s + "]";
  }();
  const Bad cases[] = {
      {"", "", "invalid_json"},
      {"[1]", "", "invalid_json"},
      {R"({"model":"grok-4","input":"hi"} x)", "", "invalid_json"},
      {R"({"input":"hi"})", "model", "missing_required_parameter"},
      {R"({"model":"grok-4"})", "input", "missing_required_parameter"},
      {R"({"model":"grok-4","input":null})", "input", "missing_required_parameter"},
      {with("42"), "input", "invalid_type"},
      {with(many), "input", "invalid_value"},
      {with("[7]"), "input[0]", "invalid_type"},
      {with(R"([{"content":"x"}])"), "input[0].role", "missing_required_parameter"},
      {with(R"([{"role":"tool","content":"x"}])"), "input[0].role", "invalid_value"},
      {with(R"([{"role":"user","content":5}])"), "input[0].content", "invalid_type"},
      {with(R"([{"role":"user","content":[{"text":"x"}]}])"), "input[0].content[0].type",
       "missing_required_parameter"},
      {with(R"([{"role":"user","content":[{"type":"input_text"}]}])"), "input[0].content[0].text",
       "missing_required_parameter"},
      {with(R"([{"role":"user","content":[{"type":"input_text","text":3}]}])"),
       "input[0].content[0].text", "invalid_type"},
      {with(R"([{"role":"user","content":[{"type":"input_image"}]}])"),
       "input[0].content[0].image_url", "missing_required_parameter"},
      {with(R"([{"role":"user","content":[{"type":"input_image","image_url":"ftp://x"}]}])"),
       "input[0].content[0].image_url", "invalid_value"},
      {with(R"([{"role":"user","content":[{"type":"input_image","file_id":"file_1"}]}])"),
       "input[0].content[0].file_id", "unsupported_parameter"},
      {with(R"([{"role":"user","content":[{"type":"input_file","file_data":"x"}]}])"),
       "input[0].content[0].type", "unsupported_parameter"},
      {with(R"([{"role":"user","content":[{"type":"video"}]}])"), "input[0].content[0].type",
       "invalid_value"},
      {with(
           R"([{"role":"assistant","content":[{"type":"input_image","image_url":"https://a/b.png"}]}])"),
       "input[0].content[0]", "invalid_value"},
      {with(R"([{"type":"function_call","name":"f","arguments":"{}"}])"), "input[0].call_id",
       "missing_required_parameter"},
      {with(R"([{"type":"function_call","call_id":"c1","arguments":"{}"}])"), "input[0].name",
       "missing_required_parameter"},
      {with(R"([{"type":"function_call_output","call_id":"c1"}])"), "input[0].output",
       "missing_required_parameter"},
      {with(R"([{"type":"function_call_output","call_id":"c1","output":5}])"), "input[0].output",
       "invalid_type"},
      {with(R"([{"type":"computer_call"}])"), "input[0].type", "unsupported_parameter"},
      {with(R"([{"type":"bogus"}])"), "input[0].type", "invalid_value"},
      {with(R"("hi")", R"(,"instructions":5)"), "instructions", "invalid_type"},
      {with(R"("hi")", R"(,"stream":"yes")"), "stream", "invalid_type"},
      {with(R"("hi")", R"(,"store":1)"), "store", "invalid_type"},
      {with(R"("hi")", R"(,"max_output_tokens":"9")"), "max_output_tokens", "invalid_type"},
      {with(R"("hi")", R"(,"max_output_tokens":1.5)"), "max_output_tokens", "invalid_type"},
      {with(R"("hi")", R"(,"max_output_tokens":0)"), "max_output_tokens", "invalid_value"},
      {with(R"("hi")", R"(,"metadata":[])"), "metadata", "invalid_type"},
      {with(R"("hi")", R"(,"metadata":{"a":1})"), "metadata.a", "invalid_type"},
      {with(R"("hi")", R"(,"metadata":{"a":")" + std::string(513, 'x') + R"("})"), "metadata.a",
       "invalid_value"},
      {with(R"("hi")", R"(,"metadata":{")" + std::string(65, 'k') + R"(":"v"})"), "metadata",
       "invalid_value"},
      {with(R"("hi")", R"(,"reasoning":"high")"), "reasoning", "invalid_type"},
      {with(R"("hi")", R"(,"reasoning":{"effort":3})"), "reasoning.effort", "invalid_type"},
      {with(R"("hi")", R"(,"reasoning":{"summary":"verbose"})"), "reasoning.summary",
       "invalid_value"},
      {with(R"("hi")", R"(,"text":{"format":{"type":"json_schema","name":"x","schema":[]}})"),
       "text.format.schema", "invalid_type"},
      {with(R"("hi")", R"(,"text":{"format":{}})"), "text.format.type",
       "missing_required_parameter"},
      {with(R"("hi")", R"(,"text":{"format":{"type":"yaml"}})"), "text.format.type",
       "invalid_value"},
      {with(R"("hi")", R"(,"text":{"format":"text"})"), "text.format", "invalid_type"},
      {with(R"("hi")", R"(,"previous_response_id":7)"), "previous_response_id", "invalid_type"},
      {with(R"("hi")", R"(,"temperature":"hot")"), "temperature", "invalid_type"},
      {with(R"("hi")", R"(,"tools":[1])"), "tools[0]", "invalid_type"},
      {with(R"("hi")", R"(,"background":true)"), "background", "unsupported_parameter"},
      {with(R"("hi")", R"(,"conversation":"conv_1")"), "conversation", "unsupported_parameter"},
  };
  for (const auto &c : cases) {
    auto r = parse_responses_request(c.body);
    auto *e = std::get_if<ApiError>(&r);
    if (!e) {
      ADD_FAILURE() << "accepted: " << c.body.substr(0, 200);
      continue;
    }
    EXPECT_EQ(e->status, 400) << c.body.substr(0, 200);
    EXPECT_EQ(e->type, "invalid_request_error");
    EXPECT_EQ(e->param, c.param) << c.body.substr(0, 200) << " -> " << e->message;
    EXPECT_EQ(e->code, c.code) << c.body.substr(0, 200) << " -> " << e->message;
  }
}

TEST(OpenAIResponsesRequest, TextFormatJsonIsAcceptedAndABadTypeSaysWhat) {
  ResponsesRequest r = ok(with(R"("hi")", R"(,"text":{"format":{"type":"json_object"}})"));
  EXPECT_EQ(r.format.type, answer::OutputFormat::Type::JsonObject);
  auto bad = parse_responses_request(with(R"("hi")", R"(,"text":{"format":{"type":"yaml"}})"));
  auto *e = std::get_if<ApiError>(&bad);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->param, "text.format.type");
  EXPECT_NE(e->message.find("'yaml' is not one of"), std::string::npos) << e->message;
}

TEST(OpenAIResponsesRequest, StringInputIsOneUserTurnAndDefaultsHold) {
  ResponsesRequest r = ok(with(R"("What is 2+2?")"));
  ASSERT_EQ(r.input.size(), 1u);
  EXPECT_EQ(r.input[0].role, "user");
  EXPECT_EQ(r.input[0].text, "What is 2+2?");
  EXPECT_TRUE(r.store);
  EXPECT_FALSE(r.stream);
  EXPECT_EQ(r.max_output_tokens, -1);
  EXPECT_FALSE(r.has_instructions);
  EXPECT_TRUE(r.reasoning_summary.empty());
}

TEST(OpenAIResponsesRequest, ReadsEveryField) {
  ResponsesRequest r = ok(with(
      R"("hi")",
      R"(,"instructions":"Be brief.","stream":true,"store":false,"max_output_tokens":2.0,)"
      R"("metadata":{"a":"1","b":"2"},"reasoning":{"effort":"high","summary":"auto"},)"
      R"("text":{"format":{"type":"text"},"verbosity":"low"},"previous_response_id":"resp_1",)"
      R"("temperature":0.5,"top_p":0.9,"user":"u1","tools":[{"type":"web_search"}],)"
      R"("unknown":{"deep":[1,2]},"include":["reasoning.encrypted_content"],"background":false)"));
  EXPECT_TRUE(r.has_instructions);
  EXPECT_EQ(r.instructions, "Be brief.");
  EXPECT_TRUE(r.stream);
  EXPECT_FALSE(r.store);
  EXPECT_EQ(r.max_output_tokens, 2);
  ASSERT_EQ(r.metadata.size(), 2u);
  EXPECT_EQ(r.metadata[1], (std::pair<std::string, std::string>{"b", "2"}));
  EXPECT_EQ(r.reasoning_effort, "high");
  EXPECT_EQ(r.reasoning_summary, "auto");
  EXPECT_EQ(r.previous_response_id, "resp_1");
  EXPECT_TRUE(r.has_temperature);
  EXPECT_DOUBLE_EQ(r.temperature, 0.5);
  EXPECT_DOUBLE_EQ(r.top_p, 0.9);
  EXPECT_EQ(r.user, "u1");
}

TEST(OpenAIResponsesRequest, ItemListBecomesTurns) {
  ResponsesRequest r = ok(with(R"([
    {"role":"developer","content":"Use tools."},
    {"type":"message","role":"user","content":[{"type":"input_text","text":"Look"},
      {"type":"input_text","text":"  "},
      {"type":"input_image","image_url":"https://example.com/a.png","detail":"low"}]},
    {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"hmm"}]},
    {"type":"message","role":"assistant","id":"msg_1","status":"completed",
      "content":[{"type":"output_text","text":"Calling.","annotations":[]}]},
    {"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
    {"type":"function_call","call_id":"call_2","name":"get_time","arguments":{"tz":"CET"}},
    {"type":"function_call_output","call_id":"call_1","output":"18C"},
    {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"9:00"}]},
    {"type":"item_reference","id":"msg_0"},
    {"role":"user","content":"Thanks"}
  ])"));
  ASSERT_EQ(r.input.size(), 6u);
  EXPECT_EQ(r.input[0].role, "developer");
  EXPECT_EQ(r.input[1].role, "user");
  EXPECT_EQ(r.input[1].text, "Look");
  ASSERT_EQ(r.input[1].images.size(), 1u);
  EXPECT_EQ(r.input[1].images[0].url, "https://example.com/a.png");
  EXPECT_EQ(r.input[1].images[0].detail, "low");
  EXPECT_EQ(r.input[2].role, "assistant");
  EXPECT_EQ(r.input[2].text, "Calling.");
  ASSERT_EQ(r.input[2].tool_calls.size(), 2u) << "calls join the assistant turn they follow";
  EXPECT_EQ(r.input[2].tool_calls[0].id, "call_1");
  EXPECT_EQ(r.input[2].tool_calls[0].name, "get_weather");
  EXPECT_EQ(r.input[2].tool_calls[0].arguments, R"({"city":"Paris"})");
  EXPECT_EQ(r.input[2].tool_calls[1].arguments, R"({"tz":"CET"})");
  EXPECT_EQ(r.input[3].role, "tool");
  EXPECT_EQ(r.input[3].tool_call_id, "call_1");
  EXPECT_EQ(r.input[3].text, "18C");
  EXPECT_EQ(r.input[4].text, "9:00");
  EXPECT_EQ(r.input[5].text, "Thanks");
}

TEST(OpenAIResponsesRequest, ConversationPutsInstructionsThenHistoryThenInput) {
  ResponsesRequest r = ok(with(R"("Next?")", R"(,"instructions":"Be brief.")"));
  std::vector<answer::Turn> history(2);
  history[0].role = "user";
  history[0].text = "First";
  history[1].role = "assistant";
  history[1].text = "Answer";
  answer::Conversation c = responses_conversation(r, history);
  ASSERT_EQ(c.turns.size(), 4u);
  EXPECT_EQ(c.turns[0].role, "system");
  EXPECT_EQ(c.turns[0].text, "Be brief.");
  EXPECT_EQ(c.turns[1].text, "First");
  EXPECT_EQ(c.turns[2].text, "Answer");
  EXPECT_EQ(c.turns[3].text, "Next?");
  ResponsesRequest blank = ok(with(R"("x")", R"(,"instructions":"  ")"));
  EXPECT_EQ(responses_conversation(blank, {}).turns.size(), 1u) << "blank instructions dropped";
}

TEST(OpenAIResponsesRequest, NullsAreAbsent) {
  ResponsesRequest r =
      ok(with(R"("x")", R"(,"instructions":null,"metadata":null,"reasoning":null,"text":null,)"
                        R"("max_output_tokens":null,"previous_response_id":null,"stream":null)"));
  EXPECT_FALSE(r.has_instructions);
  EXPECT_TRUE(r.metadata.empty());
  EXPECT_EQ(r.max_output_tokens, -1);
  EXPECT_TRUE(r.previous_response_id.empty());
}
