// Opening the upstream for one chat-shaped request on one account: the mgw WebSocket (the
// account's user id comes from the token row or /api/auth/session), falling back to REST
// `conversations/new` when the handshake fails and chat_transport allows it. Media requests
// (image edit, video) pass their own REST body and always use REST, as do follow-ups in an
// existing conversation.
#pragma once

#include "answer/fault.h"
#include "app/grok_config.h"
#include "core/context.h"
#include "grok/models.h"
#include "pool/token_pool.h"

#include <string>
#include <vector>

namespace g2a::app {

struct TransportRequest {
  const grok::ModelInfo *model = nullptr;
  std::string prompt;
  std::vector<std::string> file_ids;
  bool enable_image_generation = true;
  int image_count = 2;
  std::string rest_body; // non-empty: REST only, with this body
  std::string referer = "/";
  // Set: a follow-up in this conversation (REST `conversations/{id}/responses`, never mgw),
  // answering the assistant response `parent_response_id`.
  std::string conversation_id, parent_response_id;
};

struct Transport {
  int source = -1;
  bool mgw = false;
  answer::Fault fault; // ok() unless the step failed
};

// The account's user id for the mgw cookie: cached on the token row, else /api/auth/session
// (stored on the row); "" when it could not be learnt. The AuthInvalid fault when the session
// says the account is dead.
Task<answer::UpstreamResult<std::string>>
user_id_for(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok, const std::string &cookie);
Task<Transport> open_chat_transport(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok,
                                    const TransportRequest &req);

} // namespace g2a::app
