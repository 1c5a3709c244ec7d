// tool_choice that requires a call (required / any / a named tool) in the SievingRenderer
// (tools/sieving_renderer.h): the answer is held — nothing for the client, holding() true —
// until its first call; an answer without a call is reported by lacks_required_call() before
// any byte was produced (the attempt asks again), and finish() then gives it as it is.
#include "core/json.h"
#include "openai/chat_renderer.h"
#include "tools/sieving_renderer.h"

#include <gtest/gtest.h>

using namespace g2a;

namespace {

using Mode = answer::ToolChoice::Mode;

answer::Conversation conversation(Mode mode) {
  answer::Conversation c;
  answer::ToolSpec t;
  t.name = "get_weather";
  t.parameters = R"({"type":"object","properties":{"city":{"type":"string"}},"required":["city"]})";
  c.tools.push_back(t);
  c.tool_choice.mode = mode;
  if (mode == Mode::Named) c.tool_choice.name = "get_weather";
  return c;
}

answer::Event event(answer::Event::Kind kind, std::string s) {
  answer::Event ev;
  ev.kind = kind;
  ev.text = std::move(s);
  return ev;
}

answer::Event text(std::string s) {
  return event(answer::Event::Kind::Text, std::move(s));
}

std::unique_ptr<answer::Renderer> renderer(const answer::Conversation &c, bool stream) {
  openai::ChatRenderOptions o;
  o.id = "chatcmpl-1";
  o.created = 1767225600;
  o.model = "grok-4";
  return tools::with_tools(std::make_unique<openai::ChatCompletionsRenderer>(o, stream), c,
                           "call_ab");
}

const std::string kNoCall = "The weather in Paris is usually mild. Use <b> tags freely.";
const std::string kCall = "Let me check.\n<tool_call name=\"get_weather\">{\"city\": "
                          "\"Paris\"}</tool_call>";

} // namespace

TEST(ToolsChoice, RequiredHoldsAnAnswerWithoutCallAtEverySplit) {
  for (Mode mode : {Mode::Required, Mode::Named}) {
    answer::Conversation c = conversation(mode);
    for (size_t at = 0; at <= kNoCall.size(); ++at) {
      auto r = renderer(c, true);
      EXPECT_TRUE(r->holding());
      for (std::string piece : {kNoCall.substr(0, at), kNoCall.substr(at)}) {
        if (!piece.empty()) r->on_event(text(piece));
        r->flush();
        EXPECT_EQ(r->take(), "") << "split at " << at; // not one byte before the decision
      }
      EXPECT_TRUE(r->has_output()); // held, not an empty answer
      EXPECT_TRUE(r->lacks_required_call()) << "split at " << at;
      EXPECT_TRUE(r->holding());
      EXPECT_EQ(r->take(), "");
      // No retry (or the retry also made no call): the honest answer, a normal stop.
      r->finish(answer::StopReason::Stop);
      std::string out = r->take();
      EXPECT_NE(out.find("\"finish_reason\":\"stop\""), std::string::npos);
      EXPECT_EQ(r->content(), kNoCall);
    }
  }
}

TEST(ToolsChoice, RequiredReleasesHeldTextAndReasoningAtTheCall) {
  answer::Conversation c = conversation(Mode::Required);
  for (size_t at = 0; at <= kCall.size(); ++at) {
    auto r = renderer(c, true);
    r->on_event(event(answer::Event::Kind::Reasoning, "thinking"));
    r->flush();
    EXPECT_EQ(r->take(), "");
    std::string out;
    for (std::string piece : {kCall.substr(0, at), kCall.substr(at)}) {
      if (!piece.empty()) r->on_event(text(piece));
      r->flush();
      out += r->take();
    }
    EXPECT_FALSE(r->lacks_required_call()) << "split at " << at;
    EXPECT_FALSE(r->holding());
    r->finish(answer::StopReason::Stop);
    out += r->take();
    size_t reasoning = out.find("thinking"), prose = out.find("Let me check."),
           call = out.find("get_weather");
    ASSERT_NE(reasoning, std::string::npos) << out;
    ASSERT_NE(prose, std::string::npos) << out;
    ASSERT_NE(call, std::string::npos) << out;
    EXPECT_LT(reasoning, prose); // in the order they came
    EXPECT_LT(prose, call);
    EXPECT_NE(out.find("\"finish_reason\":\"tool_calls\""), std::string::npos);
  }
}

TEST(ToolsChoice, ACallLeftOpenAtTheEndIsDecidedBeforeTheVerdict) {
  answer::Conversation c = conversation(Mode::Named); // the sieve points into its tools
  auto r = renderer(c, false);
  r->on_event(text("<tool_call name='get_weather'>{\"city\": \"Kyiv\"}"));
  EXPECT_TRUE(r->holding());
  EXPECT_FALSE(r->lacks_required_call()); // the sieve's held bytes were a call
  EXPECT_FALSE(r->holding());
  r->finish(answer::StopReason::Stop);
  json b = parse_json(r->body()).value_or(json());
  EXPECT_EQ(b["choices"][0]["finish_reason"], "tool_calls");
  EXPECT_EQ(b["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"],
            R"({"city":"Kyiv"})");
}

TEST(ToolsChoice, AutoAndNoneNeverHold) {
  for (Mode mode : {Mode::Auto, Mode::None}) {
    answer::Conversation c = conversation(mode);
    auto r = renderer(c, true);
    EXPECT_FALSE(r->holding());
    r->on_event(text("Plain answer."));
    r->flush();
    EXPECT_NE(r->take().find("Plain answer."), std::string::npos);
    EXPECT_FALSE(r->lacks_required_call());
  }
}
