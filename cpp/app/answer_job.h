// build_answer_job: from a parsed, neutral conversation to the job run_answer() performs — the
// same for every client API. Counts and loads the images the conversation links (before
// anything is charged), flattens the turns into Grok's prompt, applies the image and video
// models' prompt rules, and refuses a conversation with nothing to say. The caller adds the
// client API's renderer.
#pragma once

#include "answer/conversation.h"
#include "app/chat_attempt.h"
#include "app/grok_config.h"
#include "app/settings.h"
#include "grok/models.h"
#include "http/api_result.h"
#include "http/response.h"

#include <optional>

namespace g2a::app {

struct JobRequest {
  const answer::Conversation *conversation = nullptr;
  bool stream = false;
  std::string_view turns_param = "messages"; // the parameter named when the turns say nothing
  std::optional<grok::VideoSettings> video;  // the video model's settings, already checked
  // A Grok conversation to continue (ids set, prompt filled here) and the conversation's new
  // turns only (what the follow-up sends); chat models only.
  std::optional<Continuation> continuation;
  const answer::Conversation *new_turns = nullptr;
};

Task<ApiResult<ChatJob>> build_answer_job(Ctx &cx, const grok::ModelInfo &model,
                                          const GrokConfig &cfg, const Settings &settings,
                                          const JobRequest &req);

} // namespace g2a::app
