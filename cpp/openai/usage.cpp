// Chat Completions' usage object.
#include "openai/usage.h"

namespace g2a::openai {

json usage_json(const Usage &u) {
  return json{{"prompt_tokens", u.prompt},
              {"completion_tokens", u.completion},
              {"total_tokens", u.prompt + u.completion},
              {"prompt_tokens_details", {{"cached_tokens", 0}}},
              {"completion_tokens_details", {{"reasoning_tokens", u.reasoning}}}};
}

} // namespace g2a::openai
