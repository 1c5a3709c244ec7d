// Chat Completions' usage object, and the neutral estimate (answer/usage.h) under the openai
// names the renderers use.
#pragma once

#include "answer/usage.h"
#include "core/json.h"

namespace g2a::openai {

using answer::estimate_tokens;
using answer::TokenCounter;
using answer::Usage;

// {"prompt_tokens","completion_tokens","total_tokens","prompt_tokens_details":{"cached_tokens":0},
//  "completion_tokens_details":{"reasoning_tokens"}}; total = prompt + completion.
json usage_json(const Usage &u);

} // namespace g2a::openai
