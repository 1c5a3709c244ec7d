// POST /v1/chat/completions: parse and validate the request, authorise the key, load the
// images it links, flatten the messages into the Grok prompt and pick the Chat Completions
// renderer; run_answer() does the rest (charge, accounts, attempts, refund, quota refresh).
#include "app/answer_flow.h"
#include "app/chat_attempt.h"
#include "app/pool_run.h"
#include "app/v1_auth.h"
#include "app/v1_routes.h"
#include "core/bytes.h"
#include "openai/chat_renderer.h"
#include "openai/chat_request.h"
#include "openai/flatten.h"
#include "openai/usage.h"

namespace g2a::app {

namespace {

openai::ReasoningOutput reasoning_mode(const Settings &s) {
  std::string m = s.text("reasoning_output");
  if (m == "think_tags") return openai::ReasoningOutput::ThinkTags;
  if (m == "hidden") return openai::ReasoningOutput::Hidden;
  return openai::ReasoningOutput::Content;
}

std::vector<ImageSource> image_sources(const openai::ChatRequest &req) {
  std::vector<ImageSource> out;
  for (size_t i = 0; i < req.messages.size(); ++i)
    for (size_t j = 0; j < req.messages[i].images.size(); ++j)
      out.push_back(
          {req.messages[i].images[j].url, "messages[" + std::to_string(i) + "].content.image_url"});
  return out;
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

  // Images for vision: counted, loaded and checked before anything is charged.
  std::vector<ImageSource> sources = image_sources(req);
  if (sources.size() > cfg.max_images) {
    call.fail(cx, invalid_request("At most " + std::to_string(cfg.max_images) +
                                      " images are accepted per request.",
                                  "messages", "too_many_images"));
    co_return;
  }
  ChatJob job;
  job.model = model;
  job.stream = req.stream;
  if (!sources.empty()) {
    auto loaded = co_await load_images(cx, sources, cfg.max_image_bytes,
                                       image_host_allowlist(authz->settings.text("image_hosts")));
    if (auto *err = std::get_if<ApiError>(&loaded)) {
      call.fail(cx, *err);
      co_return;
    }
    job.images = std::move(std::get<std::vector<ImageInput>>(loaded));
  }
  openai::Flattened flat = openai::flatten_messages(req, cfg.max_images);
  job.prompt = model->kind == grok::ModelKind::Image ? "Drawing: " + flat.prompt : flat.prompt;
  if (model->kind == grok::ModelKind::Video) {
    auto vs = grok::video_settings(req.video.aspect_ratio, req.video.video_length,
                                   req.video.resolution, req.video.preset);
    if (auto *bad = std::get_if<grok::VideoConfigError>(&vs)) {
      call.fail(cx, invalid_request(bad->message, bad->param, "invalid_value"));
      co_return;
    }
    job.video = true;
    job.video_settings = std::get<grok::VideoSettings>(vs);
    job.video_prompt = flat.prompt;
    for (auto it = req.messages.rbegin(); it != req.messages.rend(); ++it)
      if (it->role == "user" && !it->text.empty()) {
        job.video_prompt = it->text;
        break;
      }
    if (job.images.size() > 1) job.images.resize(1); // image-to-video takes the first image
  }
  if (job.prompt.find_first_not_of(" \n\t") == std::string::npos && job.images.empty()) {
    call.fail(cx, invalid_request("The messages contain no text.", "messages", "empty_prompt"));
    co_return;
  }
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
  job.renderer = [render, stream = req.stream]() {
    return std::make_unique<openai::ChatCompletionsRenderer>(render, stream);
  };

  co_await run_answer(cx, call, *model, cfg, *authz, job);
}

} // namespace g2a::app
