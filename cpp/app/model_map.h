// Which Grok model answers a model id the catalogue does not know — Claude Code and the
// Anthropic SDK send Claude names (claude-opus-4-8, claude-sonnet-4-6, claude-haiku-4-5, …).
// The setting `claude_model_map` is a comma-separated list of `pattern=grok-model-id` rules,
// tried in order: a pattern matches when it occurs in the requested id (ASCII case-insensitive);
// `*` matches any id. Default (kDefaultClaudeModelMap):
//   opus → grok-chat-expert, sonnet → grok-chat-auto, haiku → grok-chat-fast, * → grok-chat-auto
// (heavy needs a Heavy account; map opus to grok-chat-heavy where the pool has one). An id the
// catalogue knows is used as it is; targets must be chat models.
#pragma once

#include "core/result.h"
#include "grok/models.h"

#include <string>
#include <string_view>
#include <vector>

namespace g2a::app {

inline constexpr std::string_view kDefaultClaudeModelMap =
    "opus=grok-chat-expert,sonnet=grok-chat-auto,haiku=grok-chat-fast,*=grok-chat-auto";

struct ModelRule {
  std::string pattern; // lower case; "*" = any id
  const grok::ModelInfo *model = nullptr;
};

struct ModelMap {
  std::vector<ModelRule> rules;
};

// nullopt-like error: the message names the bad rule.
Result<ModelMap, std::string> parse_model_map(std::string_view text);
// The catalogue's model for `requested`, else the first matching rule's; nullptr when none.
const grok::ModelInfo *resolve_model(const ModelMap &map, std::string_view requested);
// The model to use when the client asks for extended thinking: `m` itself when it reasons,
// else the first reasoning chat model of the same quota bucket that needs no higher tier
// (grok-chat-fast → grok-4-mini), else `m`.
const grok::ModelInfo &thinking_model(const grok::ModelInfo &m);

} // namespace g2a::app
