// One chat attempt on one Grok account: upload the request's images for that account, open
// the transport (mgw WebSocket, falling back to REST when the handshake fails and the
// setting allows), pump the answer through an AnswerSink, mint links for generated images, and
// finish the client response. Before the first byte reaches the client, a failure is
// returned for the flow to try another account; after it, the stream ends with an error event.
#pragma once

#include "answer/fault.h"
#include "answer/renderer.h"
#include "app/answer_sink.h"
#include "app/grok_config.h"
#include "app/image_inputs.h"
#include "app/v1_call.h"
#include "grok/media_payload.h"
#include "grok/models.h"
#include "pool/token_pool.h"

#include <functional>
#include <memory>
#include <optional>

namespace g2a::app {

// Continuing a Grok conversation on the account that holds it (Responses previous_response_id,
// Chat's opt-in): the attempt on that account sends only the new turns as a follow-up
// (`conversations/{id}/responses`); another account, or a follow-up Grok refuses, gets the
// whole conversation (ChatJob::prompt) as a new chat.
struct Continuation {
  std::string token_id, conversation_id, parent_response_id;
  std::string prompt;       // the new turns only, flattened
  std::string retry_prompt; // the same with the stronger tool reminder (see ChatJob::retry_prompt)
  size_t new_images = 0;    // the new turns' images: the last ones of ChatJob::images
};

struct ChatJob {
  const grok::ModelInfo *model = nullptr;
  std::string prompt;
  // A tool_choice that requires a call (required / any / a named tool): the prompt with the
  // stronger reminder for the one retry after an answer without a call; empty when no call is
  // required, and once the retry was made.
  std::string retry_prompt;
  std::vector<ImageInput> images;
  bool stream = false;
  // The client API's renderer for one attempt (each attempt starts from a fresh one).
  std::function<std::unique_ptr<answer::Renderer>()> renderer;
  bool deliver = true; // false: do not answer the client; the reply is in AttemptResult
  bool video = false;  // the video model: a REST media request instead of a chat
  grok::VideoSettings video_settings;
  std::string video_prompt;
  // Set (with progress_step > 0): called with a video's progress while it streams (the pump
  // pauses for it), e.g. to record it on the video job.
  std::function<Task<void>(Ctx &, int)> on_progress;
  int progress_step = 0;
  std::optional<Continuation> continuation;
};

struct AttemptResult {
  answer::Fault fault;    // ok() unless the step failed
  bool committed = false; // bytes reached the client: no failover possible
  bool client_gone = false;
  answer::Usage usage;
  // The answer made no call although one is required and job.retry_prompt allows a retry;
  // nothing reached the client (the flow asks again on the same account).
  bool missed_call = false;
  // A strict structured-output answer could not be recovered: the attempt answered the client
  // with invalid_structured_output (tools/json_output.h). The account did its job.
  bool invalid_output = false;
  std::string reply;   // the answer's content, when ChatJob::deliver is false
  std::string quality; // the quality guard's note (AnswerSink::quality_note), empty when fine
  std::string egress;  // the transport that carried the answer, its base URL and the Worker
                       // binding it went through, if any: "ws wss://grok.com[ RELAY]"
  // Grok's ids for the answer (what a later continuation needs), when known.
  // A follow-up's answer has no conversation frame: its id is the continued conversation's.
  std::string conversation_id, response_id;
};

Task<AttemptResult> chat_attempt(Ctx &cx, GrokConfig &cfg, V1Call &call, ChatJob &job,
                                 const pool::TokenRow &tok);

} // namespace g2a::app
