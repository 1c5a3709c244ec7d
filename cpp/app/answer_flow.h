// run_answer: what every answer-producing /v1 route does once it has parsed its request,
// authorised the key (authorize() with PoolRun::reads) and built the job — written once for
// Chat Completions, Responses and Messages alike:
//   charge the key's daily quota and reserve the best account (one D1 batch), try accounts
//   (up to max_retries distinct ones, only while nothing has reached the client), record each
//   attempt's outcome on its account, refund the charge when nothing reached the client, and
//   refresh stale quota knowledge after answering. The last attempt's release and the refund
//   ride in the log row's batch (V1Call::closing). Errors before the answer go out through
//   `call`, in the route's API shape.
#pragma once

#include "app/chat_attempt.h"
#include "app/grok_config.h"
#include "app/v1_auth.h"
#include "app/v1_call.h"
#include "grok/models.h"

namespace g2a::app {

struct AnswerOutcome {
  bool answered = false; // a complete answer reached the client
  AttemptResult last;    // the last attempt (usage, failure, the reply when not delivered)
  std::string token_id;  // the account that answered (when answered)
};

Task<AnswerOutcome> run_answer(Ctx &cx, V1Call &call, const grok::ModelInfo &model, GrokConfig &cfg,
                               const Authorized &authz, ChatJob &job);

} // namespace g2a::app
