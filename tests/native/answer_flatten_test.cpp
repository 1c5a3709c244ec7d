// Conversation flattening into Grok's single web-chat message.
#include "answer/flatten.h"

#include <gtest/gtest.h>

using namespace g2a::answer;

namespace {

Turn msg(std::string role, std::string text) {
  Turn m;
  m.role = std::move(role);
  m.text = std::move(text);
  return m;
}

Conversation req(std::vector<Turn> turns) {
  Conversation c;
  c.turns = std::move(turns);
  return c;
}

Turn with_images(Turn m, std::vector<std::string> urls) {
  for (auto &u : urls) m.images.push_back(ContentImage{u, ""});
  return m;
}

} // namespace

TEST(AnswerFlatten, SingleUserMessageIsRaw) {
  auto f = flatten(req({msg("user", "Hi there")}), 4);
  EXPECT_EQ(f.prompt, "Hi there");
  EXPECT_TRUE(f.images.empty());
}

TEST(AnswerFlatten, ConversationBlocks) {
  auto f =
      flatten(req({msg("system", "Be brief."), msg("developer", "Use metric."), msg("user", "Hi"),
                   msg("assistant", "Hello!"), msg("user", "What is 2+2?")}),
              4);
  EXPECT_EQ(f.prompt, "system: Be brief.\n\nsystem: Use metric.\n\nuser: Hi\n\nassistant: "
                      "Hello!\n\nWhat is 2+2?");
}

TEST(AnswerFlatten, LastMessageNotUserKeepsItsPrefix) {
  auto f = flatten(req({msg("user", "Hi"), msg("assistant", "Hello")}), 4);
  EXPECT_EQ(f.prompt, "user: Hi\n\nassistant: Hello");
  auto g = flatten(req({msg("system", "Only a system prompt")}), 4);
  EXPECT_EQ(g.prompt, "system: Only a system prompt");
}

TEST(AnswerFlatten, ToolCallsAndResults) {
  Turn call = msg("assistant", "");
  call.tool_calls.push_back(ToolCall{"call_1", "get_weather", R"({"city":"Paris"})"});
  call.tool_calls.push_back(ToolCall{"call_2", "get_time", "{}"});
  Turn r1 = msg("tool", "18C, sunny");
  r1.tool_call_id = "call_1"; // name resolved from the call
  Turn r2 = msg("tool", "12:00");
  r2.tool_call_id = "call_2";
  r2.name = "clock"; // explicit name wins
  Turn r3 = msg("tool", "orphan");
  r3.tool_call_id = "call_9";          // unknown: the id itself
  Turn r4 = msg("function", "legacy"); // neither
  auto f =
      flatten(req({msg("user", "Weather?"), call, r1, r2, r3, r4, msg("user", "Summarise")}), 4);
  EXPECT_EQ(f.prompt, "user: Weather?\n\n"
                      "assistant called get_weather({\"city\":\"Paris\"})\n"
                      "assistant called get_time({})\n\n"
                      "tool get_weather: 18C, sunny\n\n"
                      "tool clock: 12:00\n\n"
                      "tool call_9: orphan\n\n"
                      "tool: legacy\n\n"
                      "Summarise");
}

TEST(AnswerFlatten, AssistantTextAndToolCallsShareABlock) {
  Turn a = msg("assistant", "Let me check.");
  a.tool_calls.push_back(ToolCall{"c", "lookup", "{\"q\":1}"});
  auto f = flatten(req({msg("user", "Q"), a}), 4);
  EXPECT_EQ(f.prompt, "user: Q\n\nassistant: Let me check.\nassistant called lookup({\"q\":1})");
}

TEST(AnswerFlatten, BlankMessagesAreDropped) {
  auto f = flatten(
      req({msg("system", "  \n"), msg("user", ""), msg("assistant", "\t"), msg("user", "Go")}), 4);
  EXPECT_EQ(f.prompt, "Go");
}

TEST(AnswerFlatten, ImagesOnlyFromUserMessagesInOrder) {
  auto f = flatten(req({with_images(msg("user", "first"), {"https://a/1", "https://a/2"}),
                        with_images(msg("assistant", "x"), {"https://a/ignored"}),
                        with_images(msg("user", "see"), {"data:image/png;base64,AA"})}),
                   4);
  ASSERT_EQ(f.images.size(), 3u);
  EXPECT_EQ(f.images[0].url, "https://a/1");
  EXPECT_EQ(f.images[1].url, "https://a/2");
  EXPECT_EQ(f.images[2].url, "data:image/png;base64,AA");
  EXPECT_EQ(f.prompt, "user: first\n\nassistant: x\n\nsee");
}

TEST(AnswerFlatten, ImageCapKeepsTheMostRecent) {
  auto r = req({with_images(msg("user", "a"), {"https://i/1", "https://i/2"}),
                with_images(msg("user", "b"), {"https://i/3"})});
  auto f = flatten(r, 2);
  ASSERT_EQ(f.images.size(), 2u);
  EXPECT_EQ(f.images[0].url, "https://i/2");
  EXPECT_EQ(f.images[1].url, "https://i/3");
  EXPECT_TRUE(flatten(r, 0).images.empty());
}

TEST(AnswerFlatten, ImageOnlyLastMessage) {
  auto f = flatten(req({msg("user", "earlier"), with_images(msg("user", ""), {"https://i/x"})}), 4);
  EXPECT_EQ(f.prompt, "user: earlier");
  ASSERT_EQ(f.images.size(), 1u);
}
