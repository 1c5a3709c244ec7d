// POST /v1/chat/completions: parse and validate the request, authorise the key, build the job
// from its conversation (build_answer_job: images, prompt) and pick the Chat Completions
// renderer; run_answer() does the rest (charge, accounts, attempts, refund, quota refresh).
// With the continuation opt-in (app/chat_continuation.h) a history answered before continues
// its Grok conversation, and each answer records its thread for the next turn.
#include "app/answer_flow.h"
#include "app/answer_job.h"
#include "app/chat_attempt.h"
#include "app/chat_continuation.h"
#include "app/pool_run.h"
#include "app/responses_store.h"
#include "app/v1_auth.h"
#include "app/v1_routes.h"
#include "core/bytes.h"
#include "openai/chat_renderer.h"
#include "openai/chat_request.h"
#include "openai/usage.h"
#include "tools/sieving_renderer.h"

namespace g2a::app {

namespace {

openai::ReasoningOutput reasoning_mode(const Settings &s) {
  std::string m = s.text("reasoning_output");
  if (m == "think_tags") return openai::ReasoningOutput::ThinkTags;
  if (m == "hidden") return openai::ReasoningOutput::Hidden;
  return openai::ReasoningOutput::Content;
}

// Where each image sits in the request, for the errors that name it.
void name_images(answer::Conversation &conv) {
  for (size_t i = 0; i < conv.turns.size(); ++i)
    for (auto &img : conv.turns[i].images)
      img.param = "messages[" + std::to_string(i) + "].content.image_url";
}

} // namespace

Task<void> chat_completions(Ctx &cx, V1Call &call) {
  auto parsed = openai::parse_chat_request(cx.req.body);
  if (const auto *err = parsed.error_if()) {
    call.fail(cx, *err);
    co_return;
  }
  openai::ChatRequest req = std::move(parsed).value();
  call.model = req.model;
  call.stream = req.stream;
  const grok::ModelInfo *model = grok::find_model(req.model);
  if (!model) {
    call.fail(cx, model_not_found(req.model));
    co_return;
  }
  auto authz = co_await authorize(cx, call, req.model, PoolRun::reads(*model, cx.now_ms));
  if (!authz) {
    call.fail(cx, authz.error());
    co_return;
  }
  GrokConfig cfg = grok_config(cx.req, authz->settings);
  if (model->kind == grok::ModelKind::ImageEdit) {
    call.fail(cx, invalid_request("The model '" + req.model +
                                      "' is served by the images API, not chat completions.",
                                  "model", "model_not_supported"));
    co_return;
  }

  JobRequest jr;
  name_images(req.conversation);
  jr.conversation = &req.conversation;
  jr.stream = req.stream;
  if (model->kind == grok::ModelKind::Video) {
    auto vs = grok::video_settings(req.video.aspect_ratio, req.video.video_length,
                                   req.video.resolution, req.video.preset);
    if (const auto *bad = vs.error_if()) {
      call.fail(cx, invalid_request(bad->message, bad->param, "invalid_value"));
      co_return;
    }
    jr.video = vs.value();
  }
  // Opt-in continuation: a history whose last assistant answer came from here continues that
  // answer's Grok conversation (one D1 read, only for these requests).
  const bool continuing =
      model->kind == grok::ModelKind::Chat &&
      wants_chat_continuation(cx.req, authz->settings.flag("chat_continuation"));
  answer::Conversation fresh;
  if (continuing) {
    if (auto j = last_assistant_turn(req.conversation.turns)) {
      std::string thread = chat_thread_id(authz->key.id, req.conversation.turns, *j + 1);
      auto res = co_await cx.run({fx::d1({stored_response_select(thread)})});
      auto row =
          stored_response_from_rows(fx::D1Result::of(fx::result_at(res)).rows(0), authz->key.id);
      if (auto c = row ? continuation_of(*row) : std::nullopt) {
        fresh = turns_after(req.conversation, *j);
        jr.continuation = std::move(c);
        jr.new_turns = &fresh;
      }
    }
  }
  auto built = co_await build_answer_job(cx, *model, cfg, authz->settings, jr);
  if (const auto *err = built.error_if()) {
    call.fail(cx, *err);
    co_return;
  }
  ChatJob job = std::move(built).value();
  openai::ChatRenderOptions render;
  render.id = "chatcmpl-" + hex_encode(co_await cx.random(12));
  render.created = cx.now_ms / 1000;
  render.model = req.model;
  render.reasoning = reasoning_mode(authz->settings);
  render.include_usage = req.include_usage;
  render.sources_list = authz->settings.flag("sources_list");
  render.video_html = authz->settings.flag("video_html");
  render.prompt_tokens =
      openai::estimate_tokens(job.prompt) + 85 * static_cast<long long>(job.images.size());
  std::string call_ids = "call_" + hex_encode(co_await cx.random(10));
  auto delivered = continuing ? std::make_shared<answer::Turn>() : nullptr;
  job.renderer = [render, stream = req.stream, tools_conv = &req.conversation, call_ids,
                  delivered]() {
    openai::ChatRenderOptions opt = render;
    if (delivered) *delivered = answer::Turn(); // each attempt starts afresh
    opt.delivered = delivered;
    return tools::with_tools(std::make_unique<openai::ChatCompletionsRenderer>(opt, stream),
                             *tools_conv, call_ids);
  };

  AnswerOutcome outcome = co_await run_answer(cx, call, *model, cfg, *authz, job);

  // The thread this answer ends, for the client's next turn (written with the log row).
  if (!delivered || !outcome.answered || cx.client_gone || delivered->role.empty() ||
      outcome.last.conversation_id.empty() || outcome.last.response_id.empty())
    co_return;
  std::vector<answer::Turn> turns = req.conversation.turns;
  turns.push_back(*delivered);
  StoredResponse thread;
  thread.id = chat_thread_id(authz->key.id, turns, turns.size());
  thread.key_id = authz->key.id;
  thread.created_at = cx.now_ms;
  thread.model = req.model;
  thread.status = "completed";
  thread.grok_conversation_id = outcome.last.conversation_id;
  thread.grok_response_id = outcome.last.response_id;
  thread.grok_token_id = outcome.token_id;
  if (auto stmt = stored_response_insert(thread)) call.closing.push_back(std::move(*stmt));
}

} // namespace g2a::app
