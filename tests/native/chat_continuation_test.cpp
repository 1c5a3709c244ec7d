// Chat continuation (app/chat_continuation.h): the opt-in (header over setting), the thread
// fingerprint (stable for the same history and key; changed by any edit that matters, by
// another key, by text moved across a turn boundary; blind to surrounding whitespace) and the
// turns a follow-up sends.
#include "app/chat_continuation.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::app;
using answer::Turn;

namespace {

Turn turn(std::string role, std::string text) {
  Turn t;
  t.role = std::move(role);
  t.text = std::move(text);
  return t;
}

std::vector<Turn> history() {
  Turn call = turn("assistant", "");
  call.tool_calls.push_back({"call_1", "get_weather", R"({"city":"Paris"})"});
  Turn result = turn("tool", "21 C");
  result.tool_call_id = "call_1";
  return {turn("system", "Be brief."),      turn("user", "Weather?"),     call, result,
          turn("assistant", "It is 21 C."), turn("user", "And tomorrow?")};
}

Request with_header(std::string value) {
  Request r;
  r.headers.push_back({"x-grok-continue", std::move(value)});
  return r;
}

} // namespace

TEST(ChatContinuation, HeaderOverridesTheSetting) {
  EXPECT_FALSE(wants_chat_continuation(Request{}, false));
  EXPECT_TRUE(wants_chat_continuation(Request{}, true));
  for (const char *on : {"1", "true", "ON", " true "})
    EXPECT_TRUE(wants_chat_continuation(with_header(on), false)) << on;
  for (const char *off : {"0", "false", "Off"})
    EXPECT_FALSE(wants_chat_continuation(with_header(off), true)) << off;
  EXPECT_TRUE(wants_chat_continuation(with_header("maybe"), true)) << "unknown: the setting";
  EXPECT_FALSE(wants_chat_continuation(with_header("maybe"), false));
}

TEST(ChatContinuation, LastAssistantTurn) {
  EXPECT_EQ(last_assistant_turn(history()), std::optional<size_t>(4));
  EXPECT_EQ(last_assistant_turn({turn("user", "hi")}), std::nullopt);
}

TEST(ChatContinuation, FingerprintIsStableAndSeesEveryEdit) {
  auto h = history();
  const std::string id = chat_thread_id("key_a", h, 5);
  EXPECT_EQ(id.rfind("chatc_", 0), 0u);
  EXPECT_EQ(id.size(), 6u + 40u);
  EXPECT_EQ(chat_thread_id("key_a", h, 5), id) << "deterministic";
  EXPECT_NE(chat_thread_id("key_b", h, 5), id) << "another key, another thread";
  EXPECT_NE(chat_thread_id("key_a", h, 4), id) << "a shorter history";
  auto spaced = h;
  spaced[4].text = "\n It is 21 C.  \n";
  EXPECT_EQ(chat_thread_id("key_a", spaced, 5), id) << "surrounding whitespace is not an edit";
  auto edited = h;
  edited[4].text = "It is 22 C.";
  EXPECT_NE(chat_thread_id("key_a", edited, 5), id);
  auto args = h;
  args[2].tool_calls[0].arguments = R"({"city":"Lyon"})";
  EXPECT_NE(chat_thread_id("key_a", args, 5), id);
  auto role = h;
  role[1].role = "developer";
  EXPECT_NE(chat_thread_id("key_a", role, 5), id);
  auto image = h;
  image[1].images.push_back({"https://example.com/a.png", "", ""});
  EXPECT_NE(chat_thread_id("key_a", image, 5), id);
  // Moving text across a turn boundary is a different history.
  std::vector<Turn> a{turn("user", "ab"), turn("assistant", "c")};
  std::vector<Turn> b{turn("user", "a"), turn("assistant", "bc")};
  EXPECT_NE(chat_thread_id("k", a, 2), chat_thread_id("k", b, 2));
}

TEST(ChatContinuation, AFollowUpSendsTheTurnsAfterTheAnswerWithTheToolsAndNamedResults) {
  answer::Conversation conv;
  conv.turns = history();
  Turn result = turn("tool", "rain");
  result.tool_call_id = "call_1";
  conv.turns.push_back(result);
  conv.tools.push_back({"get_weather", "Weather.", "", false, ""});
  conv.tool_choice.mode = answer::ToolChoice::Mode::Required;
  answer::Conversation part = turns_after(conv, 4);
  ASSERT_EQ(part.turns.size(), 2u);
  EXPECT_EQ(part.turns[0].text, "And tomorrow?");
  EXPECT_EQ(part.turns[1].name, "get_weather") << "named after the call the history made";
  ASSERT_EQ(part.tools.size(), 1u);
  EXPECT_EQ(part.tool_choice.mode, answer::ToolChoice::Mode::Required);
  EXPECT_TRUE(turns_after(conv, conv.turns.size() - 1).turns.empty());
}
