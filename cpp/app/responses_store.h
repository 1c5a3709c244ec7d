// Stored OpenAI Responses (table `responses`, migrations/0008_responses.sql): the parameterised
// statements, and the JSON forms a stored response keeps — its conversation as neutral turns
// (what previous_response_id replays), its input as Responses items (what …/input_items lists)
// and the response object itself. Pure: the flows in responses_api.cpp run the statements.
#pragma once

#include "answer/conversation.h"
#include "app/chat_attempt.h"
#include "core/context.h"
#include "http/response.h"

#include <optional>
#include <string>
#include <vector>

namespace g2a::app {

// A stored row larger than this is not written (D1 rows hold at most 2 MB): the answer is still
// delivered, but its id cannot be fetched or continued.
inline constexpr size_t kMaxStoredResponseBytes = 1000 * 1000;

struct StoredResponse {
  std::string id, key_id, model, status;
  long long created_at = 0; // ms
  json turns = json::array();
  json input_items = json::array();
  json response = json::object();
  // The response as the renderer serialized it; when set, the INSERT stores these bytes as they
  // are instead of dumping `response` (the renderer never builds a DOM of a long answer).
  std::string response_text;
  // Grok's conversation, its id of this answer and the account holding it (migration 0012);
  // empty when unknown.
  std::string grok_conversation_id, grok_response_id, grok_token_id;
};

// SELECT of one response by id (any owner: the caller checks ownership).
fx::Stmt stored_response_select(std::string_view id);
// The row of a stored_response_select result, when it exists and belongs to `key_id`.
std::optional<StoredResponse> stored_response_from_rows(const json &rows, std::string_view key_id);
// INSERT OR IGNORE of the row; nullopt when it would exceed kMaxStoredResponseBytes.
std::optional<fx::Stmt> stored_response_insert(const StoredResponse &r);
fx::Stmt stored_response_delete(std::string_view id, std::string_view key_id);
// Retention: everything created before `cutoff_ms`.
fx::Stmt stored_responses_prune(long long cutoff_ms);

json turns_json(const std::vector<answer::Turn> &turns);
std::vector<answer::Turn> turns_from_json(const json &j);
// The request's input turns as Responses input items; ids are <prefix><seed>i<n>.
json input_items_json(const std::vector<answer::Turn> &input, const std::string &seed);
// What previous_response_id continues: the stored conversation, then the stored answer as an
// assistant turn (its message text and its function_call / custom_tool_call items as tool calls;
// reasoning is not replayed).
std::vector<answer::Turn> replay_turns(const StoredResponse &r);

// The continuation of `r` on its Grok conversation, when the row recorded one (ids only).
std::optional<Continuation> continuation_of(const StoredResponse &r);

// 404 "Response with id '…' not found." in OpenAI's shape.
ApiError response_not_found(std::string_view id);
// 400 previous_response_not_found "Previous response with id '…' not found."
ApiError previous_response_not_found(std::string_view id);

} // namespace g2a::app
