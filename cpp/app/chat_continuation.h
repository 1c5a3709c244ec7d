// Chat Completions continuation (opt-in): a Chat client sends the whole history every time, so
// the gateway recognises a history it answered before by a fingerprint, and continues that
// answer's Grok conversation on the account holding it instead of replaying the history. The
// fingerprint hashes the API key and the turns up to and including the assistant answer as the
// client received it (role, trimmed text, image URLs, tool calls, tool results); the thread row
// shares the stored responses' table and retention (id `chatc_…`, never served by
// /v1/responses). A history the client changed (an edited answer) matches nothing and is
// replayed. Pure: chat_completions.cpp runs the statements.
#pragma once

#include "answer/conversation.h"
#include "http/request.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::app {

inline constexpr std::string_view kChatThreadPrefix = "chatc_";

// Opt-in: the request header `x-grok-continue` (1/true/on or 0/false/off) wins; else the
// `chat_continuation` setting.
bool wants_chat_continuation(const Request &req, bool setting);

// The index of the last assistant turn, when there is one.
std::optional<size_t> last_assistant_turn(const std::vector<answer::Turn> &turns);

// chatc_<hex> for the key and the first `count` turns.
std::string chat_thread_id(std::string_view key_id, const std::vector<answer::Turn> &turns,
                           size_t count);

// What a follow-up sends: the turns after `after` (the assistant answer Grok already has), with
// the conversation's tools, choice and format; tool results named from the whole conversation.
answer::Conversation turns_after(const answer::Conversation &conv, size_t after);

} // namespace g2a::app
