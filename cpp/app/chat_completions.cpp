// POST /v1/chat/completions: validate, authorise, charge the key's daily quota, then try Grok
// accounts from the pool (up to max_retries distinct ones, only while nothing has reached
// the client), record each attempt's outcome on its account, refund the charge when no
// answer was delivered, and refresh stale quota knowledge after answering.
#include "app/chat_attempt.h"
#include "app/failure_map.h"
#include "app/quota_refresh.h"
#include "app/v1_auth.h"
#include "app/v1_routes.h"
#include "core/bytes.h"
#include "core/time.h"
#include "grok/cookies.h"
#include "openai/chat_request.h"
#include "openai/flatten.h"
#include "openai/usage.h"

namespace g2a::app {

namespace {

ApiError model_not_found(const std::string &model) {
  ApiError e;
  e.status = 404;
  e.type = "invalid_request_error";
  e.param = "model";
  e.code = "model_not_found";
  e.message = "The model '" + model + "' does not exist or you do not have access to it.";
  return e;
}

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
      out.push_back({req.messages[i].images[j].url,
                     "messages[" + std::to_string(i) + "].content.image_url"});
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
  auto authz = co_await authorize(cx, call, req.model);
  if (!authz) co_return;
  GrokConfig cfg = grok_config(cx.req, authz->settings);
  if (model->kind == grok::ModelKind::Video || model->kind == grok::ModelKind::ImageEdit) {
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
    auto loaded = co_await load_images(cx, sources, cfg.max_image_bytes);
    if (auto *err = std::get_if<ApiError>(&loaded)) {
      call.fail(cx, *err);
      co_return;
    }
    job.images = std::move(std::get<std::vector<ImageInput>>(loaded));
  }
  openai::Flattened flat = openai::flatten_messages(req, cfg.max_images);
  job.prompt = model->kind == grok::ModelKind::Image ? "Drawing: " + flat.prompt : flat.prompt;
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
  job.media_secret = authz->settings.text("media_signing_secret");

  // Charge the key and read the pool in one batch.
  auth::Charge charge = auth::charge_for(*model, model->kind == grok::ModelKind::Image ? 2 : 0);
  std::string day = local_day(cx.now_ms, cx.req.var_int("CACHE_RESET_TZ_OFFSET_MINUTES", 480));
  std::vector<fx::Stmt> stmts = auth::quota_charge(authz->key, day, charge);
  for (auto &s : pool::candidates_query(model->tier, model->bucket, cx.now_ms)) stmts.push_back(s);
  stmts.push_back(auth::key_touch(authz->key, cx.now_ms));
  auto res = co_await cx.run({fx::d1(std::move(stmts))});
  const json r0 = res.empty() ? json() : res[0];
  if (!bool_or(r0, "ok")) {
    ApiError e;
    e.status = 503;
    e.type = "service_unavailable_error";
    e.code = "storage_unavailable";
    e.message = "The gateway's database is unavailable; retry shortly.";
    call.fail(cx, e);
    co_return;
  }
  if (d1_changes(r0, 1) != 1) {
    call.fail(cx, auth::quota_exceeded_error(charge));
    co_return;
  }
  std::vector<pool::TokenRow> rows = pool::rows_from_d1(d1_rows(r0, 2));
  pool::PoolCounts counts = pool::counts_from_d1(d1_rows(r0, 3));

  std::set<std::string> tried;
  AttemptResult last;
  bool answered = false, ended = false;
  const pool::TokenRow *served_by = nullptr;
  for (int attempt = 0; attempt < cfg.max_retries && !ended; ++attempt) {
    const pool::TokenRow *tok = nullptr;
    for (const pool::TokenRow *cand : pool::rank(rows, cfg.limits, cx.now_ms, tried)) {
      auto rr = co_await cx.run({fx::d1({pool::reserve(*cand, cfg.limits, cx.now_ms)})});
      tried.insert(cand->id);
      if (!rr.empty() && d1_changes(rr[0]) == 1) {
        tok = cand;
        break;
      }
    }
    if (!tok) {
      if (attempt == 0) call.fail(cx, pool::no_token_error(rows, counts, model->tier, cfg.limits, cx.now_ms));
      else call.fail(cx, upstream_error(last.failure, last.detail, last.retry_after_s));
      ended = true;
      break;
    }
    ++call.attempts;
    call.token_id = tok->id;
    call.token_suffix = grok::token_suffix(tok->sso);
    last = co_await chat_attempt(cx, cfg, call, job, *tok);

    std::vector<fx::Stmt> after{pool::release(tok->id, cx.now_ms)};
    if (!last.client_gone)
      for (auto &s : pool::record_outcome(*tok, model->bucket,
                                          pool::Outcome{last.failure, last.detail, last.retry_after_s},
                                          cfg.health, cx.now_ms))
        after.push_back(s);
    co_await cx.run({fx::d1(std::move(after))});

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
  }
  if (!ended) call.fail(cx, upstream_error(last.failure, last.detail, last.retry_after_s));

  if (!answered && last.failure != grok::Failure::Moderated)
    co_await cx.run({fx::d1({auth::quota_refund(authz->key, day, charge)})});
  if (answered && served_by && quota_stale(*served_by, cfg, cx.now_ms))
    co_await refresh_quota(cx, cfg, *served_by, *model);
}

} // namespace g2a::app
