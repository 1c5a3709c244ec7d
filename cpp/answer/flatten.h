// Flattens a neutral conversation (answer/conversation.h) into the one message Grok's web chat
// takes.
//
// Every message becomes a block; blocks are joined by a blank line ("\n\n"):
//   system / developer  ->  "system: <text>"
//   user (earlier turns) -> "user: <text>"
//   assistant           ->  "assistant: <text>", then one line per tool call:
//                           "assistant called <name>(<arguments>)"
//   tool / function     ->  "tool <name>: <text>" where <name> is the message's `name`, else the
//                           name of the assistant tool call whose id is `tool_call_id`, else
//                           the `tool_call_id` itself ("tool: <text>" when none is known)
//   the LAST message, when it is a user message, is emitted raw (no prefix): it is the
//   question Grok answers, the earlier blocks are its context.
// Blank texts are dropped (a message with nothing to say yields no block). Example:
//   system: Be brief.
//
//   user: Hi
//
//   assistant: Hello!
//
//   What is 2+2?
// Images come only from user messages, in order; when there are more than `max_images`, the
// most recent ones are kept.
#pragma once

#include "answer/conversation.h"

#include <string>
#include <vector>

namespace g2a::answer {

struct Flattened {
  std::string prompt;
  std::vector<ContentImage> images;
};

Flattened flatten(const Conversation &conv, size_t max_images);

} // namespace g2a::answer
