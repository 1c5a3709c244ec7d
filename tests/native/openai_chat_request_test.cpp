// Chat Completions request parsing: every rejected shape maps to an exact status/param/code,
// and every accepted content form lands in the parsed request.
#include "openai/chat_request.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::openai;

namespace {

const std::string kUser = R"({"role":"user","content":"hi"})";

std::string with_messages(const std::string &messages, const std::string &extra = "") {
  return R"({"model":"grok-4","messages":)" + messages + extra + "}";
}

ChatRequest ok(const std::string &body) {
  auto r = parse_chat_request(body);
  if (auto *e = std::get_if<ApiError>(&r)) {
    ADD_FAILURE() << body << " -> " << e->message;
    return {};
  }
  return std::get<ChatRequest>(r);
}

} // namespace

TEST(OpenAIChatRequest, RejectsBadInputsWithExactParamAndCode) {
  struct Bad {
    std::string body, param, code;
  };
  const std::string many = [] {
    std::string s = "[";
    for (int i = 0; i < 1001; ++i) s += (i ? "," : "") + kUser;
    return s + "]";
  }();
  const Bad cases[] = {
      {"", "", "invalid_json"},
      {"   \n", "", "invalid_json"},
      {"not json", "", "invalid_json"},
      {"[]", "", "invalid_json"},
      {"42", "", "invalid_json"},
      {"\"str\"", "", "invalid_json"},
      {R"({"model":"grok-4","messages":[)", "", "invalid_json"},
      {with_messages("[" + kUser + "]") + " trailing", "", "invalid_json"},
      {"{\"model\":\"gr\xFFok\",\"messages\":[]}", "", "invalid_json"},
      {R"({"model":"grok-4","messages":[{"role":"user","content":"\ud800"}]})", "", "invalid_json"},
      {R"({"messages":[)" + kUser + "]}", "model", "missing_required_parameter"},
      {R"({"model":"","messages":[)" + kUser + "]}", "model", "missing_required_parameter"},
      {R"({"model":null,"messages":[)" + kUser + "]}", "model", "missing_required_parameter"},
      {R"({"model":5,"messages":[)" + kUser + "]}", "model", "invalid_type"},
      {R"({"model":"grok-4"})", "messages", "missing_required_parameter"},
      {R"({"model":"grok-4","messages":null})", "messages", "missing_required_parameter"},
      {with_messages("{}"), "messages", "invalid_type"},
      {with_messages("\"hi\""), "messages", "invalid_type"},
      {with_messages("[]"), "messages", "invalid_value"},
      {with_messages(many), "messages", "invalid_value"},
      {with_messages("[5]"), "messages[0]", "invalid_type"},
      {with_messages(R"([{"content":"hi"}])"), "messages[0].role", "missing_required_parameter"},
      {with_messages(R"([{"role":null,"content":"hi"}])"), "messages[0].role",
       "missing_required_parameter"},
      {with_messages(R"([{"role":"bot","content":"hi"}])"), "messages[0].role", "invalid_value"},
      {with_messages(R"([{"role":7,"content":"hi"}])"), "messages[0].role", "invalid_type"},
      {with_messages("[" + kUser + R"(,{"role":"robot"}])"), "messages[1].role", "invalid_value"},
      {with_messages(R"([{"role":"user","content":5}])"), "messages[0].content", "invalid_type"},
      {with_messages(R"([{"role":"user","content":{"type":"text"}}])"), "messages[0].content",
       "invalid_type"},
      {with_messages(R"([{"role":"user","content":[5]}])"), "messages[0].content[0]",
       "invalid_type"},
      {with_messages(R"([{"role":"user","content":[{"text":"x"}]}])"),
       "messages[0].content[0].type", "missing_required_parameter"},
      {with_messages(R"([{"role":"user","content":[{"type":1}]}])"), "messages[0].content[0].type",
       "invalid_type"},
      {with_messages(R"([{"role":"user","content":[{"type":"text"}]}])"),
       "messages[0].content[0].text", "missing_required_parameter"},
      {with_messages(R"([{"role":"user","content":[{"text":5,"type":"text"}]}])"),
       "messages[0].content[0].text", "invalid_type"},
      {with_messages(
           R"([{"role":"user","content":[{"type":"text","text":"a"},{"type":"input_audio","input_audio":{"data":"AA","format":"wav"}}]}])"),
       "messages[0].content[1].type", "unsupported_parameter"},
      {with_messages(R"([{"role":"user","content":[{"type":"file","file":{"file_id":"f"}}]}])"),
       "messages[0].content[0].type", "unsupported_parameter"},
      {with_messages(R"([{"role":"user","content":[{"type":"hologram"}]}])"),
       "messages[0].content[0].type", "invalid_value"},
      {with_messages(
           R"([{"content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"https://x/i.png"}}],"role":"system"}])"),
       "messages[0].content[1]", "invalid_value"},
      {with_messages(
           R"([{"role":"assistant","content":[{"type":"image_url","image_url":"https://x/i.png"}]}])"),
       "messages[0].content[0]", "invalid_value"},
      {with_messages(
           R"([{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x/i.png"}}]}])"),
       "messages[0].content[0].image_url.url", "invalid_value"},
      {with_messages(
           R"([{"role":"user","content":[{"type":"image_url","image_url":"data:text/plain;base64,AA"}]}])"),
       "messages[0].content[0].image_url.url", "invalid_value"},
      {with_messages(R"([{"role":"user","content":[{"type":"image_url","image_url":{}}]}])"),
       "messages[0].content[0].image_url.url", "missing_required_parameter"},
      {with_messages(R"([{"role":"user","content":[{"type":"image_url"}]}])"),
       "messages[0].content[0].image_url.url", "missing_required_parameter"},
      {with_messages(R"([{"role":"user","content":[{"type":"image_url","image_url":5}]}])"),
       "messages[0].content[0].image_url", "invalid_type"},
      {with_messages(R"([{"role":"user","content":[{"type":"image_url","image_url":{"url":7}}]}])"),
       "messages[0].content[0].image_url.url", "invalid_type"},
      {with_messages(
           R"([{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x","detail":1}}]}])"),
       "messages[0].content[0].image_url.detail", "invalid_type"},
      {with_messages(R"([{"role":"assistant","tool_calls":{}}])"), "messages[0].tool_calls",
       "invalid_type"},
      {with_messages(R"([{"role":"assistant","tool_calls":[{"id":"c1"}]}])"),
       "messages[0].tool_calls[0].function", "missing_required_parameter"},
      {with_messages(R"([{"role":"assistant","tool_calls":[{"function":{"arguments":"{}"}}]}])"),
       "messages[0].tool_calls[0].function.name", "missing_required_parameter"},
      {with_messages(R"([{"role":"assistant","tool_calls":[{"function":"f"}]}])"),
       "messages[0].tool_calls[0].function", "invalid_type"},
      {with_messages(R"([{"role":"assistant","tool_calls":[{"function":{"name":3}}]}])"),
       "messages[0].tool_calls[0].function.name", "invalid_type"},
      {with_messages(R"([{"role":"tool","tool_call_id":5,"content":"x"}])"),
       "messages[0].tool_call_id", "invalid_type"},
      {with_messages(R"([{"role":"user","name":false,"content":"x"}])"), "messages[0].name",
       "invalid_type"},
      {with_messages("[" + kUser + "]", R"(,"stream":"yes")"), "stream", "invalid_type"},
      {with_messages("[" + kUser + "]", R"(,"stream":1)"), "stream", "invalid_type"},
      {with_messages("[" + kUser + "]", R"(,"stream_options":true)"), "stream_options",
       "invalid_type"},
      {with_messages("[" + kUser + "]", R"(,"stream_options":{"include_usage":"true"})"),
       "stream_options.include_usage", "invalid_type"},
      {with_messages("[" + kUser + "]", R"(,"n":2)"), "n", "unsupported_parameter"},
      {with_messages("[" + kUser + "]", R"(,"n":0)"), "n", "invalid_value"},
      {with_messages("[" + kUser + "]", R"(,"n":"1")"), "n", "invalid_type"},
      {with_messages("[" + kUser + "]", R"(,"n":1.5)"), "n", "invalid_type"},
      {with_messages("[" + kUser + "]", R"(,"max_tokens":"10")"), "max_tokens", "invalid_type"},
      {with_messages("[" + kUser + "]", R"(,"max_tokens":0)"), "max_tokens", "invalid_value"},
      {with_messages("[" + kUser + "]", R"(,"max_completion_tokens":-1)"), "max_completion_tokens",
       "invalid_value"},
      {with_messages("[" + kUser + "]", R"(,"user":5)"), "user", "invalid_type"},
      {with_messages("[" + kUser + "]", R"(,"reasoning_effort":1)"), "reasoning_effort",
       "invalid_type"},
      {with_messages("[" + kUser + "]", R"(,"tools":{})"), "tools", "invalid_type"},
      {with_messages("[" + kUser + "]",
                     R"(,"tools":[{"type":"function","function":{"name":"f"}},1])"),
       "tools[1]", "invalid_type"},
      {with_messages("[" + kUser + "]", R"(,"response_format":"json")"), "response_format",
       "invalid_type"},
      {with_messages("[" + kUser + "]", R"(,"response_format":{"type":3})"), "response_format.type",
       "invalid_type"},
      {with_messages("[" + kUser + "]", R"(,"video_config":[])"), "video_config", "invalid_type"},
      {with_messages("[" + kUser + "]", R"(,"video_config":{"video_length":0})"),
       "video_config.video_length", "invalid_value"},
      {with_messages("[" + kUser + "]", R"(,"video_config":{"resolution":1})"),
       "video_config.resolution", "invalid_type"},
  };
  for (const auto &c : cases) {
    auto r = parse_chat_request(c.body);
    const auto *e = std::get_if<ApiError>(&r);
    ASSERT_NE(e, nullptr) << "accepted: " << c.body.substr(0, 200);
    EXPECT_EQ(e->status, 400) << c.body.substr(0, 200);
    EXPECT_EQ(e->type, "invalid_request_error");
    EXPECT_EQ(e->param, c.param) << c.body.substr(0, 200) << " -> " << e->message;
    EXPECT_EQ(e->code, c.code) << c.body.substr(0, 200) << " -> " << e->message;
    EXPECT_FALSE(e->message.empty());
  }
}

TEST(OpenAIChatRequest, ErrorMessagesReadLikeOpenAIs) {
  auto r = parse_chat_request(with_messages(R"([{"role":7}])"));
  EXPECT_EQ(std::get<ApiError>(r).message,
            "Invalid type for 'messages[0].role': expected a string, but got a number instead.");
  r = parse_chat_request(R"({"model":"grok-4"})");
  EXPECT_EQ(std::get<ApiError>(r).message, "Missing required parameter: 'messages'.");
  r = parse_chat_request(
      with_messages(R"([{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}])"));
  EXPECT_NE(std::get<ApiError>(r).message.find("'input_audio' are not supported"),
            std::string::npos);
  r = parse_chat_request("{\"model\":");
  EXPECT_EQ(std::get<ApiError>(r).message.rfind("We could not parse the JSON body", 0), 0u);
}

TEST(OpenAIChatRequest, MinimalRequestDefaults) {
  auto r = ok(with_messages("[" + kUser + "]"));
  EXPECT_EQ(r.model, "grok-4");
  ASSERT_EQ(r.conversation.turns.size(), 1u);
  EXPECT_EQ(r.conversation.turns[0].role, "user");
  EXPECT_EQ(r.conversation.turns[0].text, "hi");
  EXPECT_FALSE(r.stream);
  EXPECT_FALSE(r.include_usage);
  EXPECT_EQ(r.n, 1);
  EXPECT_EQ(r.max_tokens, -1);
  EXPECT_FALSE(r.has_tools);
  EXPECT_FALSE(r.video.present);
  EXPECT_EQ(r.video.aspect_ratio, "3:2");
  EXPECT_EQ(r.video.video_length, 6);
}

TEST(OpenAIChatRequest, EveryContentForm) {
  auto r = ok(with_messages(R"([
    {"role":"developer","content":"Be terse."},
    {"role":"system","content":[{"type":"text","text":"Line one"},{"type":"text","text":"  "},{"type":"input_text","text":"Line two"}]},
    {"role":"user","content":[
       {"type":"text","text":"Look:"},
       {"image_url":{"detail":"high","url":"https://example.com/cat.png"},"type":"image_url"},
       {"type":"image_url","image_url":"data:image/png;base64,iVBORw0KGgo="},
       {"type":"input_image","image_url":"HTTP://example.com/dog.jpg"},
       {"type":"text","text":"What are these?"}]},
    {"role":"assistant","content":null,"reasoning_content":"hmm","reasoning":{"x":1},
     "tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"q\":\"cat\"}"}},
                   {"id":"call_2","type":"function","function":{"name":"raw","arguments":{"a":[1,2]} }}]},
    {"role":"tool","tool_call_id":"call_1","content":"a cat"},
    {"role":"function","name":"legacy_fn","content":"ok"},
    {"role":"assistant","content":[{"type":"refusal","refusal":"I can't."}],"function_call":{"name":"old","arguments":"{}"}},
    {"role":"user","content":"","name":"bob"}
  ])"));
  ASSERT_EQ(r.conversation.turns.size(), 8u);
  EXPECT_EQ(r.conversation.turns[0].role, "developer");
  EXPECT_EQ(r.conversation.turns[0].text, "Be terse.");
  EXPECT_EQ(r.conversation.turns[1].text, "Line one\nLine two");
  const auto &u = r.conversation.turns[2];
  EXPECT_EQ(u.text, "Look:\nWhat are these?");
  ASSERT_EQ(u.images.size(), 3u);
  EXPECT_EQ(u.images[0].url, "https://example.com/cat.png");
  EXPECT_EQ(u.images[0].detail, "high");
  EXPECT_EQ(u.images[1].url, "data:image/png;base64,iVBORw0KGgo=");
  EXPECT_EQ(u.images[1].detail, "");
  EXPECT_EQ(u.images[2].url, "HTTP://example.com/dog.jpg");
  const auto &a = r.conversation.turns[3];
  EXPECT_EQ(a.text, "");
  ASSERT_EQ(a.tool_calls.size(), 2u);
  EXPECT_EQ(a.tool_calls[0].id, "call_1");
  EXPECT_EQ(a.tool_calls[0].name, "lookup");
  EXPECT_EQ(a.tool_calls[0].arguments, "{\"q\":\"cat\"}");
  EXPECT_EQ(a.tool_calls[1].arguments, "{\"a\":[1,2]}");
  EXPECT_EQ(r.conversation.turns[4].tool_call_id, "call_1");
  EXPECT_EQ(r.conversation.turns[4].text, "a cat");
  EXPECT_EQ(r.conversation.turns[5].role, "function");
  EXPECT_EQ(r.conversation.turns[5].name, "legacy_fn");
  EXPECT_EQ(r.conversation.turns[6].text, "I can't.");
  ASSERT_EQ(r.conversation.turns[6].tool_calls.size(), 1u);
  EXPECT_EQ(r.conversation.turns[6].tool_calls[0].name, "old");
  EXPECT_EQ(r.conversation.turns[7].name, "bob");
}

TEST(OpenAIChatRequest, OptionsAndUnknownFields) {
  auto r = ok(R"({"temperature":0.2,"top_p":1,"stop":["x"],"seed":42,"metadata":{"a":"b"},
    "logit_bias":{"1":-100},"chat_template_kwargs":{"enable_thinking":true},"weird":[{"deep":[1,{"x":null}]}],
    "tool_choice":{"type":"function","function":{"name":"f"}},"parallel_tool_calls":false,
    "m\u006fdel":"grok-4-thinking","messages":[{"role":"user","content":"hi"}],
    "stream":true,"stream_options":{"include_usage":true,"include_obfuscation":false},
    "n":1.0,"reasoning_effort":"high","max_tokens":100,"max_completion_tokens":250,
    "user":"u-1","tools":[{"type":"function","function":{"name":"f","parameters":{}}}],
    "response_format":{"type":"json_object"},
    "video_config":{"aspect_ratio":"16:9","video_length":10,"resolution":"HD","preset":"fun","extra":1}})");
  EXPECT_EQ(r.model, "grok-4-thinking");
  EXPECT_TRUE(r.stream);
  EXPECT_TRUE(r.include_usage);
  EXPECT_EQ(r.n, 1);
  EXPECT_EQ(r.reasoning_effort, "high");
  EXPECT_EQ(r.max_tokens, 250);
  EXPECT_EQ(r.user, "u-1");
  EXPECT_TRUE(r.has_tools);
  EXPECT_EQ(r.response_format_type, "json_object");
  EXPECT_TRUE(r.video.present);
  EXPECT_EQ(r.video.aspect_ratio, "16:9");
  EXPECT_EQ(r.video.video_length, 10);
  EXPECT_EQ(r.video.resolution, "HD");
  EXPECT_EQ(r.video.preset, "fun");
}

TEST(OpenAIChatRequest, NullMeansAbsent) {
  auto r = ok(R"({"model":"grok-4","messages":[{"role":"user","content":"hi","name":null}],
    "stream":null,"stream_options":null,"n":null,"max_tokens":null,"user":null,"tools":null,
    "response_format":null,"reasoning_effort":null,"video_config":null,"temperature":null})");
  EXPECT_FALSE(r.stream);
  EXPECT_EQ(r.n, 1);
  EXPECT_EQ(r.max_tokens, -1);
  EXPECT_FALSE(r.has_tools);
  EXPECT_FALSE(r.video.present);
}

TEST(OpenAIChatRequest, EmptyToolsArrayIsNoTools) {
  auto r = ok(with_messages("[" + kUser + "]", R"(,"tools":[])"));
  EXPECT_FALSE(r.has_tools);
  r = ok(with_messages("[" + kUser + "]", R"(,"max_tokens":64)"));
  EXPECT_EQ(r.max_tokens, 64);
}

TEST(OpenAIChatRequest, ExactlyTheMessageLimitIsAccepted) {
  std::string s = "[";
  for (size_t i = 0; i < kMaxMessages; ++i) s += (i ? "," : "") + kUser;
  auto r = ok(with_messages(s + "]"));
  EXPECT_EQ(r.conversation.turns.size(), kMaxMessages);
}

TEST(OpenAIChatRequest, EscapedAndUnicodeTextSurvives) {
  auto r = ok(with_messages(
      R"([{"role":"user","content":"line\nnext \"q\" \u4e2d\u6587 \ud83d\ude00 caf\u00e9"}])"));
  EXPECT_EQ(r.conversation.turns[0].text,
            "line\nnext \"q\" \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80 caf\xC3\xA9");
}
