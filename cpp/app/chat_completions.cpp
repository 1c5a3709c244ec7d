// POST /v1/chat/completions: parse and validate the request, authorise the key, build the job
// from its conversation (build_answer_job: images, prompt) and pick the Chat Completions
// renderer; run_answer() does the rest (charge, accounts, attempts, refund, quota refresh).
#include "app/answer_flow.h"
#include "app/answer_job.h"
#include "app/chat_attempt.h"
#include "app/pool_run.h"
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
  if (auto *err = std::get_if<ApiError>(&parsed)) {
    call.fail(cx, *err);
    co_return;
  }
  openai::ChatRequest req = std::move(std::get<openai::ChatRequest>(parsed));
  call.model = req.model;
  call.stream = req.stream;
  const grok::ModelInfo *model = grok::find_model(req.model);
  if (!model) {
    call.fail(cx, model_not_found(req.model));
    co_return;
  }
  auto authz = co_await authorize(cx, call, req.model, PoolRun::reads(*model, cx.now_ms));
  if (!authz) co_return;
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
    if (auto *bad = std::get_if<grok::VideoConfigError>(&vs)) {
      call.fail(cx, invalid_request(bad->message, bad->param, "invalid_value"));
      co_return;
    }
    jr.video = std::get<grok::VideoSettings>(vs);
  }
  auto built = co_await build_answer_job(cx, *model, cfg, authz->settings, jr);
  if (auto *err = std::get_if<ApiError>(&built)) {
    call.fail(cx, *err);
    co_return;
  }
  ChatJob job = std::move(std::get<ChatJob>(built));
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
  job.renderer = [render, stream = req.stream, tools_conv = &req.conversation, call_ids]() {
    return tools::with_tools(std::make_unique<openai::ChatCompletionsRenderer>(render, stream),
                             *tools_conv, call_ids);
  };

  co_await run_answer(cx, call, *model, cfg, *authz, job);
}

} // namespace g2a::app
