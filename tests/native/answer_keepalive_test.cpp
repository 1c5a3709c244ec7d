// Keep-alives of a quiet stream: what each client API's renderer writes (an SSE comment for Chat
// Completions and Responses, Anthropic's `ping` event for Messages), only between the first and
// the last event of a stream and never into a body; and the pump tick interval that drives them
// (half the keep-alive interval; on mgw a whole divisor of the 25 s heartbeat).
#include "anthropic/messages_renderer.h"
#include "app/answer_sink.h"
#include "grok/mgw_session.h"
#include "openai/chat_renderer.h"
#include "openai/responses_renderer.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

using namespace g2a;

namespace {

answer::Event text_event(std::string s) {
  answer::Event ev;
  ev.kind = answer::Event::Kind::Text;
  ev.text = std::move(s);
  return ev;
}

std::unique_ptr<answer::Renderer> make(const std::string &api, bool stream) {
  if (api == "chat") {
    openai::ChatRenderOptions o;
    o.id = "chatcmpl-k";
    o.created = 1;
    o.model = "grok-4";
    return std::make_unique<openai::ChatCompletionsRenderer>(o, stream);
  }
  if (api == "responses") {
    openai::ResponsesRenderOptions o;
    o.id = "resp_k";
    o.item_seed = "ab";
    o.model = "grok-4";
    return std::make_unique<openai::ResponsesRenderer>(o, stream);
  }
  anthropic::MessagesRenderOptions o;
  o.id = "msg_k";
  o.model = "claude-sonnet-4-6";
  return std::make_unique<anthropic::MessagesRenderer>(o, stream);
}

std::string expected_keepalive(const std::string &api) {
  return api == "messages" ? "event: ping\ndata: {\"type\":\"ping\"}\n\n" : ": keep-alive\n\n";
}

class Keepalive : public testing::TestWithParam<const char *> {};

TEST_P(Keepalive, OnlyBetweenTheFirstAndTheLastEventOfAStream) {
  std::string api = GetParam();
  auto r = make(api, true);
  r->begin();
  std::string opening = r->take();
  ASSERT_FALSE(opening.empty());
  r->keepalive();
  EXPECT_EQ(r->take(), expected_keepalive(api));
  r->on_event(text_event("hello"));
  r->flush();
  std::string delta = r->take();
  ASSERT_NE(delta.find("hello"), std::string::npos);
  r->keepalive();
  r->keepalive();
  EXPECT_EQ(r->take(), expected_keepalive(api) + expected_keepalive(api));
  r->finish(answer::StopReason::Stop);
  std::string closing = r->take();
  EXPECT_FALSE(closing.empty());
  r->keepalive();
  EXPECT_EQ(r->take(), "") << "nothing after the last event";
  // The keep-alives changed nothing else: same bytes as a stream without them.
  auto plain = make(api, true);
  plain->begin();
  std::string p = plain->take();
  plain->on_event(text_event("hello"));
  plain->flush();
  p += plain->take();
  plain->finish(answer::StopReason::Stop);
  p += plain->take();
  EXPECT_EQ(opening + delta + closing, p);
}

TEST_P(Keepalive, NeverIntoABody) {
  std::string api = GetParam();
  auto r = make(api, false);
  r->begin();
  r->on_event(text_event("hello"));
  r->keepalive();
  r->flush();
  r->finish(answer::StopReason::Stop);
  EXPECT_EQ(r->take(), "");
  EXPECT_EQ(r->body().find("keep-alive"), std::string::npos);
  EXPECT_EQ(r->body().find("ping"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Apis, Keepalive, testing::Values("chat", "responses", "messages"));

TEST(PumpTick, HalfTheKeepaliveOnRest) {
  EXPECT_EQ(app::pump_tick_ms(false, 0), 0);
  EXPECT_EQ(app::pump_tick_ms(false, 15000), 7500);
  EXPECT_EQ(app::pump_tick_ms(false, 1000), 500);
  EXPECT_EQ(app::pump_tick_ms(false, 1), 1);
}

TEST(PumpTick, OnMgwAWholeDivisorOfTheHeartbeat) {
  const long long hb = grok::MgwSession::kHeartbeatMs;
  EXPECT_EQ(app::pump_tick_ms(true, 0), hb);       // heartbeats only
  EXPECT_EQ(app::pump_tick_ms(true, 60000), hb);   // keep-alives rarer than heartbeats
  EXPECT_EQ(app::pump_tick_ms(true, 15000), 6250); // 4 ticks per heartbeat, <= 7.5 s
  EXPECT_EQ(app::pump_tick_ms(true, 1000), 500);
  for (long long k : {1000LL, 3000LL, 7000LL, 15000LL, 49000LL}) {
    long long t = app::pump_tick_ms(true, k);
    EXPECT_EQ(hb % t, 0) << k;
    EXPECT_LE(t, k / 2) << k;
  }
}

} // namespace
