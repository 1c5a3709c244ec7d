// POST /v1/chat/completions: validate, authorise, charge the key's daily quota, then try Grok
// accounts from the pool (up to max_retries distinct ones, only while nothing has reached
// the client), record each attempt's outcome on its account, refund the charge when nothing
// reached the client, and refresh stale quota knowledge after answering. The last attempt's
// release and the refund are written with the log row (V1Call::closing).
#include "app/chat_attempt.h"
#include "app/failure_map.h"
#include "app/pool_run.h"
#include "app/quota_refresh.h"
#include "app/v1_auth.h"
#include "app/v1_routes.h"
#include "core/bytes.h"
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
  job.render.id = "chatcmpl-" + hex_encode(co_await cx.random(12));
  job.render.created = cx.now_ms / 1000;
  job.render.model = req.model;
  job.render.reasoning = reasoning_mode(authz->settings);
  job.render.include_usage = req.include_usage;
  job.render.sources_list = authz->settings.flag("sources_list");
  job.render.video_html = authz->settings.flag("video_html");
  job.render.prompt_tokens =
      openai::estimate_tokens(job.prompt) + 85 * static_cast<long long>(job.images.size());

  // Charge the key and reserve the best account in one batch, then try accounts.
  PoolRun pool_run(*model, cfg);
  auth::Charge charge = auth::charge_for(*model, model->kind == grok::ModelKind::Image ? 2 : 0);
  if (!co_await pool_run.begin(cx, call, authz->key, charge, authz->reads)) co_return;

  AttemptResult last;
  bool answered = false, ended = false;
  const pool::TokenRow *served_by = nullptr;
  for (int attempt = 0; attempt < cfg.max_retries && !ended; ++attempt) {
    const pool::TokenRow *tok = co_await pool_run.acquire(cx, call);
    if (!tok) {
      if (attempt == 0)
        call.fail(cx, pool_run.no_token_error(cx.now_ms));
      else
        call.fail(cx, upstream_error(last.failure, last.detail, last.retry_after_s));
      ended = true;
      break;
    }
    last = co_await chat_attempt(cx, cfg, call, job, *tok);
    call.prompt_tokens = last.usage.prompt;
    call.completion_tokens = last.usage.completion;
    if (last.client_gone) {
      call.error_code = "client_closed_request";
      call.error_message = "the client disconnected before the answer was complete";
      ended = true;
    } else if (last.failure == grok::Failure::None) {
      answered = true;
      ended = true;
      served_by = tok;
    } else if (last.committed) {
      ApiError e = upstream_error(last.failure, last.detail);
      call.error_code = e.code;
      call.error_message = e.message;
      ended = true;
    } else if (!pool::retry_elsewhere(last.failure)) {
      call.fail(cx, upstream_error(last.failure, last.detail, last.retry_after_s));
      ended = true;
    }
    pool::Outcome outcome{last.failure, last.detail, last.retry_after_s};
    // The last attempt's release rides with the log row; an account given up on for another
    // is released (and its outcome recorded) before the next one is reserved.
    if (ended)
      pool_run.finish_with_log(call, *tok, outcome, last.client_gone, cx.now_ms);
    else
      co_await pool_run.finish(cx, *tok, outcome, last.client_gone);
  }
  if (!ended) call.fail(cx, upstream_error(last.failure, last.detail, last.retry_after_s));

  // Charged for what was delivered: refunded only when no answer reached the client (a client
  // that leaves mid-stream keeps what it read, and is charged for it).
  bool delivered = answered || last.committed;
  if (!delivered && last.failure != grok::Failure::Moderated) pool_run.refund_with_log(call);
  if (answered && served_by && quota_stale(*served_by, cfg, cx.now_ms))
    co_await refresh_quota(cx, cfg, *served_by, *model);
}

} // namespace g2a::app
