// Tools in the three request parsers (tools/catalogue.h): the neutral catalogue, tool_choice and
// parallel_tool_calls each API's request gives, earlier calls and results as turns, and the 400s
// naming the right parameter in each API's words.
#include "anthropic/messages_request.h"
#include "openai/chat_request.h"
#include "openai/responses_request.h"

#include <gtest/gtest.h>

using namespace g2a;
using Mode = answer::ToolChoice::Mode;

namespace {

template <class T, class V> T get_ok(V r) {
  if (auto *e = std::get_if<ApiError>(&r)) {
    ADD_FAILURE() << "unexpected error: " << e->message;
    return {};
  }
  return std::get<T>(std::move(r));
}

template <class V> ApiError get_err(V r) {
  if (!std::holds_alternative<ApiError>(r)) {
    ADD_FAILURE() << "expected an error";
    return {};
  }
  return std::get<ApiError>(std::move(r));
}

openai::ChatRequest chat(const std::string &extra) {
  return get_ok<openai::ChatRequest>(openai::parse_chat_request(
      R"({"model":"grok-4","messages":[{"role":"user","content":"hi"}])" + extra + "}"));
}
ApiError chat_err(const std::string &extra) {
  return get_err(openai::parse_chat_request(
      R"({"model":"grok-4","messages":[{"role":"user","content":"hi"}])" + extra + "}"));
}
openai::ResponsesRequest responses(const std::string &extra, const std::string &input = "\"hi\"") {
  return get_ok<openai::ResponsesRequest>(
      openai::parse_responses_request(R"({"model":"grok-4","input":)" + input + extra + "}"));
}
ApiError responses_err(const std::string &extra) {
  return get_err(
      openai::parse_responses_request(R"({"model":"grok-4","input":"hi")" + extra + "}"));
}
anthropic::MessagesRequest
messages(const std::string &extra,
         const std::string &msgs = R"([{"role":"user","content":"hi"}])") {
  return get_ok<anthropic::MessagesRequest>(anthropic::parse_messages_request(
      R"({"model":"claude","max_tokens":9,"messages":)" + msgs + extra + "}",
      anthropic::MessagesEndpoint::Create));
}
ApiError messages_err(const std::string &extra) {
  return get_err(anthropic::parse_messages_request(
      R"({"model":"claude","max_tokens":9,"messages":[{"role":"user","content":"hi"}])" + extra +
          "}",
      anthropic::MessagesEndpoint::Create));
}

const std::string kChatTools =
    R"(,"tools":[{"type":"function","function":{"name":"get_weather","description":"Weather.",)"
    R"("parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true}},)"
    R"({"type":"custom","custom":{"name":"apply_patch","description":"Patch.","format":{"type":"grammar","syntax":"lark","definition":"start: x"}}}])";

} // namespace

TEST(ToolsRequests, ChatCatalogueChoiceAndParallel) {
  auto r = chat(
      kChatTools +
      R"(,"tool_choice":{"type":"function","function":{"name":"get_weather"}},"parallel_tool_calls":false)");
  const auto &c = r.conversation;
  ASSERT_EQ(c.tools.size(), 2u);
  EXPECT_TRUE(r.has_tools);
  EXPECT_EQ(c.tools[0].name, "get_weather");
  EXPECT_EQ(c.tools[0].description, "Weather.");
  EXPECT_EQ(c.tools[0].parameters,
            R"({"type":"object","properties":{"city":{"type":"string"}},"required":["city"]})");
  EXPECT_FALSE(c.tools[0].freeform);
  EXPECT_EQ(c.tools[1].name, "apply_patch");
  EXPECT_TRUE(c.tools[1].freeform);
  EXPECT_EQ(c.tools[1].format, "lark grammar:\nstart: x");
  EXPECT_EQ(c.tool_choice.mode, Mode::Named);
  EXPECT_EQ(c.tool_choice.name, "get_weather");
  EXPECT_FALSE(c.parallel_tool_calls);
  EXPECT_EQ(chat(kChatTools + R"(,"tool_choice":"required")").conversation.tool_choice.mode,
            Mode::Required);
  EXPECT_EQ(chat(kChatTools + R"(,"tool_choice":"none")").conversation.tool_choice.mode,
            Mode::None);
}

TEST(ToolsRequests, ChatLegacyFunctions) {
  auto r = chat(
      R"(,"functions":[{"name":"f","parameters":{"type":"object"}}],"function_call":{"name":"f"})");
  ASSERT_EQ(r.conversation.tools.size(), 1u);
  EXPECT_EQ(r.conversation.tools[0].name, "f");
  EXPECT_EQ(r.conversation.tool_choice.mode, Mode::Named);
  // tool_choice wins over function_call, in either order
  r = chat(R"(,"tool_choice":"none","functions":[{"name":"f"}],"function_call":"auto")");
  EXPECT_EQ(r.conversation.tool_choice.mode, Mode::None);
}

TEST(ToolsRequests, ChatHistoryWithCallsAndResults) {
  auto r = get_ok<openai::ChatRequest>(openai::parse_chat_request(R"({"model":"m","messages":[
    {"role":"user","content":"weather?"},
    {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
    {"role":"tool","tool_call_id":"call_1","content":"21C"}]})"));
  const auto &t = r.conversation.turns;
  ASSERT_EQ(t.size(), 3u);
  ASSERT_EQ(t[1].tool_calls.size(), 1u);
  EXPECT_EQ(t[1].tool_calls[0].id, "call_1");
  EXPECT_EQ(t[1].tool_calls[0].arguments, R"({"city":"Paris"})");
  EXPECT_EQ(t[2].role, "tool");
  EXPECT_EQ(t[2].tool_call_id, "call_1");
}

TEST(ToolsRequests, ChatErrorsNameTheParameter) {
  struct Case {
    std::string extra, param, code;
  } cases[] = {
      {R"(,"tools":[{"type":"function"}])", "tools[0].function", "missing_required_parameter"},
      {R"(,"tools":[{"type":"function","function":{"description":"x"}}])", "tools[0].function.name",
       "missing_required_parameter"},
      {R"(,"tools":[{"type":"function","function":{"name":"has space"}}])",
       "tools[0].function.name", "invalid_value"},
      {R"(,"tools":[{"type":"function","function":{"name":"f","parameters":[]}}])",
       "tools[0].function.parameters", "invalid_type"},
      {R"(,"tools":[{"type":"retrieval"}])", "tools[0].type", "invalid_value"},
      {R"(,"tools":[1])", "tools[0]", "invalid_type"},
      {R"(,"tools":{"a":1})", "tools", "invalid_type"},
      {R"(,"tools":[{"type":"function","function":{"name":"f"}},{"type":"function","function":{"name":"f"}}])",
       "tools[1]", "invalid_value"},
      {R"(,"tool_choice":"sometimes")", "tool_choice", "invalid_value"},
      {R"(,"tool_choice":{"type":"function","function":{"name":"nope"}})" + kChatTools,
       "tool_choice.function.name", "invalid_value"},
      {R"(,"parallel_tool_calls":"yes")", "parallel_tool_calls", "invalid_type"},
  };
  for (const auto &c : cases) {
    ApiError e = chat_err(c.extra);
    EXPECT_EQ(e.status, 400) << c.extra;
    EXPECT_EQ(e.param, c.param) << c.extra << " → " << e.message;
    EXPECT_EQ(e.code, c.code) << c.extra << " → " << e.message;
  }
}

TEST(ToolsRequests, ResponsesToolsCustomHostedAndEcho) {
  auto r = responses(
      R"(,"tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}},)"
      R"({"type":"custom","name":"apply_patch","format":{"type":"grammar","syntax":"lark","definition":"g"}},)"
      R"({"type":"web_search"}],"tool_choice":"required","parallel_tool_calls":false)");
  ASSERT_EQ(r.tools.size(), 2u); // web_search is not offered: Grok searches by itself
  EXPECT_EQ(r.tools[0].name, "get_weather");
  EXPECT_TRUE(r.tools[1].freeform);
  EXPECT_EQ(r.tool_choice.mode, Mode::Required);
  EXPECT_FALSE(r.parallel_tool_calls);
  EXPECT_NE(r.tools_json.find("web_search"), std::string::npos); // echoed as sent
  auto conv = openai::responses_conversation(r, {});
  EXPECT_EQ(conv.tools.size(), 2u);
  EXPECT_FALSE(conv.parallel_tool_calls);
  EXPECT_EQ(conv.tool_choice.mode, Mode::Required);
}

TEST(ToolsRequests, ResponsesCallItemsAndOutputs) {
  auto r = responses("", R"([{"role":"user","content":"weather?"},
    {"type":"function_call","call_id":"call_9","name":"get_weather","arguments":"{\"city\":\"Rome\"}"},
    {"type":"function_call_output","call_id":"call_9","output":"25C"}])");
  ASSERT_EQ(r.input.size(), 3u);
  EXPECT_EQ(r.input[1].role, "assistant");
  ASSERT_EQ(r.input[1].tool_calls.size(), 1u);
  EXPECT_EQ(r.input[1].tool_calls[0].name, "get_weather");
  EXPECT_EQ(r.input[2].role, "tool");
  EXPECT_EQ(r.input[2].tool_call_id, "call_9");
  EXPECT_EQ(r.input[2].text, "25C");
}

TEST(ToolsRequests, ResponsesErrors) {
  ApiError e = responses_err(R"(,"tools":[{"type":"function"}])");
  EXPECT_EQ(e.param, "tools[0].name");
  e = responses_err(R"(,"tools":[{"name":"f"}])");
  EXPECT_EQ(e.param, "tools[0].type");
  e = responses_err(
      R"(,"tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function","name":"g"})");
  EXPECT_EQ(e.param, "tool_choice.name");
  EXPECT_EQ(e.code, "invalid_value");
}

TEST(ToolsRequests, MessagesToolsChoiceAndBlocks) {
  auto r = messages(
      R"(,"tools":[{"name":"Read","description":"Read a file","input_schema":{"type":"object","properties":{"file_path":{"type":"string"}}},"cache_control":{"type":"ephemeral"},"input_examples":[]},)"
      R"({"type":"web_search_20250305","name":"web_search","max_uses":3}],)"
      R"("tool_choice":{"type":"any","disable_parallel_tool_use":true})",
      R"([{"role":"user","content":"read it"},
         {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Read","input":{"file_path":"/a"}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"hello","is_error":false}]}])");
  const auto &c = r.conversation;
  EXPECT_EQ(r.tools, 2u);
  ASSERT_EQ(c.tools.size(), 1u);
  EXPECT_EQ(c.tools[0].name, "Read");
  EXPECT_EQ(c.tools[0].parameters,
            R"({"type":"object","properties":{"file_path":{"type":"string"}}})");
  EXPECT_EQ(c.tool_choice.mode, Mode::Required);
  EXPECT_FALSE(c.parallel_tool_calls);
  ASSERT_EQ(c.turns.size(), 3u);
  ASSERT_EQ(c.turns[1].tool_calls.size(), 1u);
  EXPECT_EQ(c.turns[1].tool_calls[0].id, "toolu_1");
  EXPECT_EQ(c.turns[2].role, "tool");
  EXPECT_EQ(c.turns[2].tool_call_id, "toolu_1");
  EXPECT_EQ(
      messages(
          R"(,"tools":[{"name":"Read","input_schema":{}}],"tool_choice":{"type":"tool","name":"Read"})")
          .conversation.tool_choice.mode,
      Mode::Named);
  EXPECT_EQ(messages(R"(,"tool_choice":{"type":"none"})").conversation.tool_choice.mode,
            Mode::None);
}

TEST(ToolsRequests, MessagesErrorsInAnthropicWords) {
  ApiError e = messages_err(R"(,"tools":[{"name":"Read"}])");
  EXPECT_EQ(e.param, "tools.0.input_schema");
  EXPECT_EQ(e.message, "tools.0.input_schema: Field required");
  e = messages_err(
      R"(,"tools":[{"name":"Read","input_schema":{}}],"tool_choice":{"type":"tool","name":"Write"})");
  EXPECT_EQ(e.param, "tool_choice.name");
  e = messages_err(R"(,"tool_choice":{"type":"sometimes"})");
  EXPECT_EQ(e.param, "tool_choice.type");
  e = messages_err(R"(,"tools":"x")");
  EXPECT_EQ(e.param, "tools");
}

TEST(ToolsRequests, OutputFormats) {
  auto r = chat(
      R"(,"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"object"},"strict":true}})");
  EXPECT_EQ(r.conversation.format.type, answer::OutputFormat::Type::JsonSchema);
  EXPECT_EQ(r.conversation.format.name, "n");
  EXPECT_EQ(r.conversation.format.schema, R"({"type":"object"})");
  EXPECT_TRUE(r.conversation.format.strict);
  EXPECT_EQ(r.response_format_type, "json_schema");
  EXPECT_EQ(chat(R"(,"response_format":{"type":"json_object"})").conversation.format.type,
            answer::OutputFormat::Type::JsonObject);
  EXPECT_EQ(chat_err(R"(,"response_format":{"type":"json_schema"})").param,
            "response_format.json_schema");
  auto rr = responses(
      R"(,"text":{"format":{"type":"json_schema","name":"n","schema":{"type":"object"}}})");
  EXPECT_EQ(rr.format.type, answer::OutputFormat::Type::JsonSchema);
  EXPECT_EQ(openai::responses_conversation(rr, {}).format.schema, R"({"type":"object"})");
}

TEST(ToolsRequests, MessagesChoiceNamingAServerToolLetsTheModelChoose) {
  auto r = messages(R"(,"tools":[{"type":"web_search_20250305","name":"web_search","max_uses":8}],)"
                    R"("tool_choice":{"type":"tool","name":"web_search"})");
  EXPECT_TRUE(r.conversation.tools.empty());
  EXPECT_EQ(r.conversation.tool_choice.mode, Mode::Auto);
}
