// Stored responses: ownership of a row, the turns' JSON round trip, what previous_response_id
// replays, the input items a stored response lists, the size bound and the SQL's parameters.
#include "app/responses_store.h"

#include <gtest/gtest.h>

#include <set>

using namespace g2a;
using namespace g2a::app;

namespace {

std::vector<answer::Turn> sample_turns() {
  std::vector<answer::Turn> t(4);
  t[0].role = "user";
  t[0].text = "Look";
  t[0].images.push_back({"https://example.com/a.png", "low", ""});
  t[1].role = "assistant";
  t[1].text = "Calling.";
  t[1].tool_calls.push_back({"call_1", "get_weather", R"({"city":"Paris"})"});
  t[2].role = "tool";
  t[2].tool_call_id = "call_1";
  t[2].text = "18C";
  t[3].role = "user";
  t[3].text = "Thanks";
  return t;
}

json row_for(const StoredResponse &r) {
  return json::array({json{{"id", r.id},
                           {"key_id", r.key_id},
                           {"created_at", r.created_at},
                           {"model", r.model},
                           {"status", r.status},
                           {"turns", dump(r.turns)},
                           {"input_items", dump(r.input_items)},
                           {"response", dump(r.response)},
                           {"grok_conversation_id", r.grok_conversation_id.empty()
                                                        ? json(nullptr)
                                                        : json(r.grok_conversation_id)},
                           {"grok_response_id", r.grok_response_id},
                           {"grok_token_id", r.grok_token_id}}});
}

} // namespace

TEST(ResponsesStore, TurnsRoundTrip) {
  auto turns = sample_turns();
  auto back = turns_from_json(turns_json(turns));
  ASSERT_EQ(back.size(), turns.size());
  EXPECT_EQ(dump(turns_json(back)), dump(turns_json(turns)));
  EXPECT_EQ(back[0].images[0].url, "https://example.com/a.png");
  EXPECT_EQ(back[1].tool_calls[0].arguments, R"({"city":"Paris"})");
  EXPECT_EQ(back[2].tool_call_id, "call_1");
}

TEST(ResponsesStore, OnlyTheOwnerReadsARow) {
  StoredResponse r;
  r.id = "resp_1";
  r.key_id = "key_a";
  r.model = "grok-4";
  r.status = "completed";
  r.created_at = 5;
  json rows = row_for(r);
  auto mine = stored_response_from_rows(rows, "key_a");
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->model, "grok-4");
  EXPECT_FALSE(stored_response_from_rows(rows, "key_b"));
  EXPECT_FALSE(stored_response_from_rows(rows, ""));
  EXPECT_FALSE(stored_response_from_rows(json::array(), "key_a"));
}

TEST(ResponsesStore, ReplayIsTheConversationThenTheAnswer) {
  StoredResponse r;
  r.turns = turns_json(sample_turns());
  r.response =
      json{{"output",
            json::array({json{{"type", "reasoning"}, {"summary", json::array()}},
                         json{{"type", "message"},
                              {"content", json::array({json{{"type", "output_text"},
                                                            {"text", "You're welcome."}}})}}})}};
  auto turns = replay_turns(r);
  ASSERT_EQ(turns.size(), 5u);
  EXPECT_EQ(turns[4].role, "assistant");
  EXPECT_EQ(turns[4].text, "You're welcome.");
}

TEST(ResponsesStore, InputItemsListEveryInput) {
  json items = input_items_json(sample_turns(), "abc");
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0]["type"], "message");
  EXPECT_EQ(items[0]["content"][0], json({{"type", "input_text"}, {"text", "Look"}}));
  EXPECT_EQ(items[0]["content"][1]["type"], "input_image");
  EXPECT_EQ(items[1]["content"][0]["type"], "output_text");
  EXPECT_EQ(items[2]["type"], "function_call");
  EXPECT_EQ(items[2]["call_id"], "call_1");
  EXPECT_EQ(items[3]["type"], "function_call_output");
  EXPECT_EQ(items[3]["output"], "18C");
  std::set<std::string> ids;
  for (const auto &it : items) ids.insert(it["id"].get<std::string>());
  EXPECT_EQ(ids.size(), items.size()) << "unique ids";
}

TEST(ResponsesStore, InsertIsParameterisedAndBounded) {
  StoredResponse r;
  r.id = "resp_1'; DROP TABLE responses; --";
  r.key_id = "k";
  auto stmt = stored_response_insert(r);
  ASSERT_TRUE(stmt);
  EXPECT_EQ(stmt->sql.find("DROP"), std::string::npos);
  EXPECT_EQ(stmt->params[0], r.id);
  answer::Turn big;
  big.role = "user";
  big.text = std::string(kMaxStoredResponseBytes, 'x');
  r.turns = turns_json({big});
  EXPECT_FALSE(stored_response_insert(r)) << "over the bound: not stored";
}

TEST(ResponsesStore, GrokIdsRoundTripAndMakeAContinuation) {
  StoredResponse r;
  r.id = "resp_2";
  r.key_id = "key_a";
  r.grok_conversation_id = "c-1";
  r.grok_response_id = "r-9";
  r.grok_token_id = "tok_a";
  auto stmt = stored_response_insert(r);
  ASSERT_TRUE(stmt);
  EXPECT_EQ(stmt->params.size(), 11u);
  EXPECT_EQ(stmt->params[8], "c-1");
  EXPECT_EQ(stmt->params[9], "r-9");
  EXPECT_EQ(stmt->params[10], "tok_a");
  auto back = stored_response_from_rows(row_for(r), "key_a");
  ASSERT_TRUE(back);
  auto c = continuation_of(*back);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->conversation_id, "c-1");
  EXPECT_EQ(c->parent_response_id, "r-9");
  EXPECT_EQ(c->token_id, "tok_a");
  EXPECT_TRUE(c->prompt.empty()) << "the prompt is the new request's, made later";
}

TEST(ResponsesStore, NoContinuationWithoutEveryGrokId) {
  StoredResponse r;
  r.id = "resp_3";
  r.key_id = "key_a";
  auto stmt = stored_response_insert(r);
  ASSERT_TRUE(stmt);
  EXPECT_TRUE(stmt->params[8].is_null()) << "unknown ids are stored as NULL";
  EXPECT_FALSE(continuation_of(r));
  r.grok_conversation_id = "c-1";
  r.grok_response_id = "r-9";
  EXPECT_FALSE(continuation_of(r)) << "no account: replay";
  r.grok_token_id = "tok_a";
  r.grok_response_id.clear();
  EXPECT_FALSE(continuation_of(r)) << "no parent response: replay";
  // A row written before migration 0012 (NULL columns) reads as no continuation.
  auto back = stored_response_from_rows(row_for(StoredResponse{"resp_4", "key_a"}), "key_a");
  ASSERT_TRUE(back);
  EXPECT_FALSE(continuation_of(*back));
}

TEST(ResponsesStore, ErrorsInOpenAIShape) {
  ApiError nf = response_not_found("resp_x");
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(nf.message, "Response with id 'resp_x' not found.");
  ApiError prev = previous_response_not_found("resp_y");
  EXPECT_EQ(prev.status, 400);
  EXPECT_EQ(prev.code, "previous_response_not_found");
  EXPECT_EQ(prev.param, "previous_response_id");
  EXPECT_EQ(prev.message, "Previous response with id 'resp_y' not found.");
}
