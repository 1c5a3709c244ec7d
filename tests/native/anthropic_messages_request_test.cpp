// Anthropic Messages request parser: the conversation it builds (system folding, blocks, images,
// tool history, thinking blocks), the fields it reads, and its Anthropic-style 400s.
#include "anthropic/messages_request.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::anthropic;

namespace {

MessagesRequest ok(std::string_view body, MessagesEndpoint ep = MessagesEndpoint::Create) {
  auto r = parse_messages_request(body, ep);
  if (auto *e = std::get_if<ApiError>(&r)) {
    ADD_FAILURE() << "unexpected error: " << e->message;
    return {};
  }
  return std::get<MessagesRequest>(r);
}

ApiError bad(std::string_view body, MessagesEndpoint ep = MessagesEndpoint::Create) {
  auto r = parse_messages_request(body, ep);
  if (!std::holds_alternative<ApiError>(r)) {
    ADD_FAILURE() << "expected an error for " << body;
    return {};
  }
  return std::get<ApiError>(r);
}

} // namespace

TEST(AnthropicMessagesRequest, MinimalStringContent) {
  auto r = ok(R"({"model":"claude-sonnet-4-6","max_tokens":64,
                  "messages":[{"role":"user","content":"Hi"}]})");
  EXPECT_EQ(r.model, "claude-sonnet-4-6");
  EXPECT_EQ(r.max_tokens, 64);
  EXPECT_FALSE(r.stream);
  EXPECT_EQ(r.thinking, Thinking::Absent);
  ASSERT_EQ(r.conversation.turns.size(), 1u);
  EXPECT_EQ(r.conversation.turns[0].role, "user");
  EXPECT_EQ(r.conversation.turns[0].text, "Hi");
}

TEST(AnthropicMessagesRequest, MaxTokensIsRequiredAsAnthropicSaysIt) {
  ApiError e = bad(R"({"model":"m","messages":[{"role":"user","content":"Hi"}]})");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.type, "invalid_request_error");
  EXPECT_EQ(e.message, "max_tokens: Field required");
  EXPECT_EQ(e.param, "max_tokens");
  // count_tokens takes no max_tokens.
  auto r = ok(R"({"model":"m","messages":[{"role":"user","content":"Hi"}]})",
              MessagesEndpoint::CountTokens);
  EXPECT_EQ(r.max_tokens, -1);
}

TEST(AnthropicMessagesRequest, SystemStringBlocksAndSystemRoleMessagesFold) {
  auto r = ok(R"({"model":"m","max_tokens":8,
    "system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1; cch=abc"},
              {"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}},
              {"type":"text","text":"Be brief."}],
    "messages":[{"role":"user","content":"Hi"},
                {"role":"system","content":"Mid-conversation rule."},
                {"role":"assistant","content":[{"type":"text","text":"Hello"}]},
                {"role":"user","content":[{"type":"text","text":"Again"}]}]})");
  ASSERT_EQ(r.conversation.turns.size(), 4u);
  EXPECT_EQ(r.conversation.turns[0].role, "system");
  EXPECT_EQ(r.conversation.turns[0].text,
            "You are Claude Code.\nBe brief.\n\nMid-conversation rule.");
  EXPECT_EQ(r.conversation.turns[1].text, "Hi");
  EXPECT_EQ(r.conversation.turns[2].role, "assistant");
  EXPECT_EQ(r.conversation.turns[3].text, "Again");
}

TEST(AnthropicMessagesRequest, ImagesBase64AndUrl) {
  auto r = ok(R"({"model":"m","max_tokens":8,"messages":[{"role":"user","content":[
    {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
    {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},
    {"type":"text","text":"What is this?"}]}]})");
  const auto &t = r.conversation.turns.at(0);
  ASSERT_EQ(t.images.size(), 2u);
  EXPECT_EQ(t.images[0].url, "data:image/png;base64,iVBORw0KGgo=");
  EXPECT_EQ(t.images[0].param, "messages.0.content.0.source");
  EXPECT_EQ(t.images[1].url, "https://example.com/cat.jpg");
  EXPECT_EQ(t.text, "What is this?");
}

TEST(AnthropicMessagesRequest, ImageErrorsNameTheField) {
  EXPECT_EQ(bad(R"({"model":"m","max_tokens":8,"messages":[{"role":"user","content":[
    {"type":"image","source":{"type":"base64","media_type":"image/bmp","data":"AA=="}}]}]})")
                .message,
            "messages.0.content.0.source.media_type: Input should be 'image/jpeg', 'image/png', "
            "'image/gif' or 'image/webp'");
  EXPECT_EQ(bad(R"({"model":"m","max_tokens":8,"messages":[{"role":"user","content":[
    {"type":"image","source":{"type":"url","url":"ftp://x/y.png"}}]}]})")
                .param,
            "messages.0.content.0.source.url");
  EXPECT_EQ(bad(R"({"model":"m","max_tokens":8,"messages":[{"role":"user","content":"a"},
    {"role":"assistant","content":[{"type":"image","source":{"type":"url","url":"https://x/y"}}]}]})")
                .param,
            "messages.1.content.0.type");
  EXPECT_EQ(bad(R"({"model":"m","max_tokens":8,"messages":[{"role":"user","content":[
    {"type":"image","source":{"type":"file","file_id":"f"}}]}]})")
                .code,
            "unsupported_parameter");
}

TEST(AnthropicMessagesRequest, ToolUseAndToolResultBecomeToolCallsAndToolTurns) {
  auto r = ok(R"({"model":"m","max_tokens":8,"tools":[{"name":"Read","input_schema":{}}],
    "messages":[
      {"role":"user","content":"Read /a"},
      {"role":"assistant","content":[{"type":"text","text":"Reading."},
        {"type":"tool_use","id":"toolu_1","name":"Read","input":{"file_path":"/a"}}]},
      {"role":"user","content":[
        {"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"hello"}]},
        {"type":"tool_result","tool_use_id":"toolu_2","content":"boom","is_error":true}]},
      {"role":"user","content":"Thanks"}]})");
  EXPECT_EQ(r.tools, 1u);
  const auto &t = r.conversation.turns;
  ASSERT_EQ(t.size(), 5u);
  ASSERT_EQ(t[1].tool_calls.size(), 1u);
  EXPECT_EQ(t[1].tool_calls[0].id, "toolu_1");
  EXPECT_EQ(t[1].tool_calls[0].name, "Read");
  EXPECT_EQ(t[1].tool_calls[0].arguments, R"({"file_path":"/a"})");
  EXPECT_EQ(t[2].role, "tool");
  EXPECT_EQ(t[2].tool_call_id, "toolu_1");
  EXPECT_EQ(t[2].text, "hello");
  EXPECT_EQ(t[3].role, "tool");
  EXPECT_EQ(t[3].text, "[error] boom");
  EXPECT_EQ(t[4].text, "Thanks"); // the result-only user turn added no turn of its own
}

TEST(AnthropicMessagesRequest, ThinkingBlocksAreKeptForTheSignatureCheck) {
  auto r = ok(R"({"model":"m","max_tokens":8,"messages":[{"role":"user","content":"a"},
    {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"g2a1.x"},
      {"type":"redacted_thinking","data":"opaque"},{"type":"text","text":"b"}]},
    {"role":"user","content":"c"}]})");
  ASSERT_EQ(r.sent_thinking.size(), 1u);
  EXPECT_EQ(r.sent_thinking[0].thinking, "hmm");
  EXPECT_EQ(r.sent_thinking[0].signature, "g2a1.x");
  EXPECT_EQ(r.sent_thinking[0].path, "messages.1.content.0");
  EXPECT_EQ(r.conversation.turns[1].text, "b") << "thinking is not part of the prompt";
  EXPECT_EQ(bad(R"({"model":"m","max_tokens":8,"messages":[{"role":"assistant","content":[
    {"type":"thinking","thinking":"hmm"}]}]})")
                .message,
            "messages.0.content.0.signature: Field required");
}

TEST(AnthropicMessagesRequest, ThinkingParameter) {
  auto r = ok(R"({"model":"m","max_tokens":4096,"thinking":{"type":"enabled","budget_tokens":2048},
                  "messages":[{"role":"user","content":"a"}]})");
  EXPECT_EQ(r.thinking, Thinking::Enabled);
  EXPECT_EQ(r.budget_tokens, 2048);
  EXPECT_EQ(ok(R"({"model":"m","max_tokens":8,"thinking":{"type":"disabled"},
                   "messages":[{"role":"user","content":"a"}]})")
                .thinking,
            Thinking::Disabled);
  EXPECT_EQ(ok(R"({"model":"m","max_tokens":8,"thinking":{"type":"adaptive"},
                   "messages":[{"role":"user","content":"a"}]})")
                .thinking,
            Thinking::Adaptive);
  EXPECT_EQ(bad(R"({"model":"m","max_tokens":4096,"thinking":{"type":"enabled","budget_tokens":100},
                    "messages":[{"role":"user","content":"a"}]})")
                .message,
            "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
  EXPECT_EQ(
      bad(R"({"model":"m","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":2048},
                    "messages":[{"role":"user","content":"a"}]})")
          .message,
      "`max_tokens` must be greater than `thinking.budget_tokens`");
  EXPECT_EQ(bad(R"({"model":"m","max_tokens":8,"thinking":{"type":"sometimes"},
                    "messages":[{"role":"user","content":"a"}]})")
                .param,
            "thinking.type");
}

TEST(AnthropicMessagesRequest, StopSequencesMetadataStream) {
  auto r = ok(R"({"model":"m","max_tokens":8,"stream":true,"stop_sequences":["\n\nHuman:","",
                  "END"],"metadata":{"user_id":"u_session_1"},"temperature":0.2,"top_k":5,
                  "tool_choice":{"type":"auto"},"messages":[{"role":"user","content":"a"}]})");
  EXPECT_TRUE(r.stream);
  EXPECT_EQ(r.stop_sequences, (std::vector<std::string>{"\n\nHuman:", "END"}));
  EXPECT_EQ(r.user_id, "u_session_1");
  EXPECT_EQ(bad(R"({"model":"m","max_tokens":8,"stop_sequences":[1],
                    "messages":[{"role":"user","content":"a"}]})")
                .message,
            "stop_sequences.0: Input should be a valid string");
}

TEST(AnthropicMessagesRequest, ErrorsNameTheField) {
  EXPECT_EQ(bad(R"({"max_tokens":8,"messages":[{"role":"user","content":"a"}]})").message,
            "model: Field required");
  EXPECT_EQ(bad(R"({"model":"m","max_tokens":8})").message, "messages: Field required");
  EXPECT_EQ(bad(R"({"model":"m","max_tokens":8,"messages":[]})").message,
            "messages: List should have at least 1 item");
  EXPECT_EQ(
      bad(R"({"model":"m","max_tokens":0,"messages":[{"role":"user","content":"a"}]})").message,
      "max_tokens: Input should be greater than or equal to 1");
  EXPECT_EQ(
      bad(R"({"model":"m","max_tokens":"8","messages":[{"role":"user","content":"a"}]})").message,
      "max_tokens: Input should be a valid integer");
  EXPECT_EQ(
      bad(R"({"model":"m","max_tokens":8,"messages":[{"role":"tool","content":"a"}]})").message,
      "messages.0.role: Input should be 'user' or 'assistant'");
  EXPECT_EQ(bad(R"({"model":"m","max_tokens":8,"messages":[{"role":"user","content":[
                    {"type":"video"}]}]})")
                .param,
            "messages.0.content.0.type");
  EXPECT_EQ(bad(R"({"model":"m","max_tokens":8,"messages":[{"role":"user","content":[
                    {"type":"text"}]}]})")
                .message,
            "messages.0.content.0.text: Field required");
  EXPECT_EQ(bad(R"({"model":"m","max_tokens":8,"messages":[{"role":"user","content":5}]})").param,
            "messages.0.content");
  EXPECT_EQ(bad("").code, "invalid_json");
  EXPECT_EQ(bad("[1]").code, "invalid_json");
  EXPECT_EQ(bad(R"({"model":"m",)").code, "invalid_json");
  EXPECT_EQ(
      bad(R"({"model":"m","max_tokens":8,"messages":[{"role":"user","content":"a"}]} x)").code,
      "invalid_json");
}

TEST(AnthropicMessagesRequest, DocumentsLeaveAMarkerInsteadOfARefusal) {
  auto r = ok(R"({"model":"m","max_tokens":8,"messages":[
    {"role":"user","content":[{"type":"document","source":{"type":"base64","data":"JVBERi0="}},
                              {"type":"text","text":"Summarise."}]},
    {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Read","input":{}}]},
    {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[
      {"type":"text","text":"page 1"},{"type":"document","source":{}}]}]}]})");
  const auto &t = r.conversation.turns;
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].text,
            "[document block omitted: this gateway passes on text and images only]\nSummarise.");
  EXPECT_EQ(t[2].text,
            "page 1\n[document block omitted: this gateway passes on text and images only]");
}
