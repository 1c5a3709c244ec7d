// The images API: POST /v1/images/generations, POST /v1/images/edits and
// GET /v1/images/method. Requests are validated before anything is charged; then accounts
// are tried like chat (PoolRun), and on each account the configured methods in order (imagine
// WebSocket, chat path) — a failure that is not the prompt's or the account's moves on to the
// next method. The answer is the images obtained (a shorter list rather than placeholders),
// as /images links or base64, in JSON or as OpenAI's image streaming events.
#include "app/failure_map.h"
#include "app/image_attempts.h"
#include "app/image_output.h"
#include "app/pool_run.h"
#include "app/v1_auth.h"
#include "app/v1_routes.h"
#include "openai/image_request.h"

namespace g2a::app {

namespace {

enum class Method { Imagine, Chat, Edit };

// Method order for generations, from the setting and the model.
std::vector<Method> generation_methods(const Settings &s, const grok::ModelInfo &m) {
  std::string setting = s.text("image_generation_method");
  bool imagine_only = m.id == "grok-imagine-image-2.0" || m.id == "grok-imagine-image";
  if (setting == "imagine_ws" || imagine_only) return {Method::Imagine};
  if (setting == "chat") return {Method::Chat};
  return {Method::Imagine, Method::Chat};
}

// Method failures that move on to the next method on the same account.
bool try_next_method(answer::Failure f) {
  using F = answer::Failure;
  return f == F::HandshakeRefused || f == F::ModelUnavailable || f == F::BadResponse ||
         f == F::Upstream5xx || f == F::Network || f == F::Timeout || f == F::ResourceExhausted;
}

struct ImagesCall {
  const grok::ModelInfo *model = nullptr;
  ImageJob job;
  std::vector<Method> methods;
  bool b64 = false;
  ImageStreamState stream;
};

Task<void> run_images(Ctx &cx, V1Call &call, Authorized &authz, ImagesCall &ic) {
  GrokConfig cfg = grok_config(cx.req, authz.settings);
  PoolRun pool_run(*ic.model, cfg);
  auth::Charge charge = auth::charge_for(*ic.model, ic.job.n);
  if (auto refused = co_await pool_run.begin(cx, authz.key, charge, authz.reads)) {
    call.fail(cx, *refused);
    co_return;
  }
  ic.stream.headers = call.headers();
  ic.stream.created = cx.now_ms / 1000;

  std::vector<OwnedImage> got;
  MediaResult last;
  bool stop = false;
  for (int attempt = 0;
       attempt < cfg.max_retries && !stop && static_cast<int>(got.size()) < ic.job.n; ++attempt) {
    const pool::TokenRow *tok = co_await pool_run.acquire(cx, call);
    if (!tok) {
      if (attempt == 0 && got.empty()) {
        ApiError e = pool_run.no_token_error(cx.now_ms);
        if (ic.stream.committed) {
          cx.write(openai::image_error_event(e));
          cx.end_stream();
          call.error_code = e.code;
        } else {
          call.fail(cx, e);
        }
        co_await pool_run.refund(cx);
        co_return;
      }
      break;
    }
    int want = ic.job.n - static_cast<int>(got.size());
    for (Method m : ic.methods) {
      if (m == Method::Imagine)
        last = co_await imagine_images(cx, cfg, *tok, ic.job, want, ic.stream);
      else if (m == Method::Chat)
        last = co_await chat_images(cx, cfg, *tok, ic.job, want, ic.stream);
      else
        last = co_await edit_images(cx, cfg, *tok, ic.job, ic.stream);
      for (auto &img : last.images) got.push_back(OwnedImage{img, tok->id, tok->sso});
      if (last.fault.ok() || last.client_gone) break;
      if (!try_next_method(last.fault.failure)) break;
    }
    if (auto src = cfg.statsig.last_source(); src != grok::StatsigSource::None)
      call.statsig_source = grok::statsig_source_name(src);
    for (auto &s : cfg.deferred_writes) call.closing.push_back(std::move(s));
    cfg.deferred_writes.clear();
    // Any image is a success for the account.
    co_await pool_run.finish(cx, *tok,
                             got.empty() ? last.fault
                                         : answer::Fault{answer::Failure::None, last.fault.detail},
                             last.client_gone);
    if (last.client_gone) {
      call.error_code = "client_closed_request";
      co_return;
    }
    if (!got.empty()) break;
    if (last.fault.failure == answer::Failure::Moderated ||
        !pool::retry_elsewhere(last.fault.failure))
      stop = true;
  }

  if (got.empty()) {
    ApiError e = upstream_error(last.fault);
    if (last.fault.ok()) e = upstream_error({answer::Failure::BadResponse, "no image"});
    if (ic.stream.committed) {
      cx.write(openai::image_error_event(e));
      cx.end_stream();
      call.error_code = e.code;
      call.error_message = e.message;
    } else {
      call.fail(cx, e);
    }
    if (last.fault.failure != answer::Failure::Moderated) co_await pool_run.refund(cx);
    co_return;
  }
  if (static_cast<int>(got.size()) > ic.job.n) got.resize(static_cast<size_t>(ic.job.n));
  auto rendered = co_await render_images(cx, cfg, got, ic.b64);
  if (rendered.empty()) {
    call.fail(cx, upstream_error(
                      {answer::Failure::Network, "the generated images could not be downloaded"}));
    co_return;
  }
  openai::ImageUsage usage =
      openai::image_usage(ic.job.prompt, ic.job.edit_images.size(), rendered.size());
  call.prompt_tokens = usage.text_tokens + usage.image_tokens;
  call.completion_tokens = usage.output_tokens;
  if (ic.stream.enabled) {
    if (!ic.stream.committed) {
      ic.stream.committed = true;
      Headers h{{"content-type", "text/event-stream; charset=utf-8"},
                {"cache-control", "no-cache"}};
      for (const auto &kv : ic.stream.headers) h.push_back(kv);
      cx.respond_stream(200, std::move(h));
    }
    std::string events;
    for (size_t i = 0; i < rendered.size(); ++i)
      events += openai::image_completed_event(ic.stream.kind, rendered[i], cx.now_ms / 1000, usage,
                                              {}, static_cast<int>(i));
    cx.write(events);
    cx.end_stream();
    co_return;
  }
  Headers h{{"content-type", "application/json"}};
  for (auto &kv : call.headers()) h.push_back(kv);
  cx.respond(200, std::move(h), openai::images_response_json(cx.now_ms / 1000, rendered, usage));
}

// Looks up the image model and authorises the key for it (the model is set when it exists).
Task<ApiResult<Authorized>> image_model_and_key(Ctx &cx, V1Call &call,
                                                const openai::ImageGenRequest &req, bool edit,
                                                const grok::ModelInfo *&model) {
  model = grok::find_image_model(req.model, edit);
  call.model = req.model.empty() ? std::string(model ? model->id : "") : req.model;
  call.stream = req.stream;
  if (!model) co_return model_not_found(req.model, "an image model");
  co_return co_await authorize(cx, call, model->id, PoolRun::reads(*model, cx.now_ms));
}

} // namespace

Task<void> images_generations(Ctx &cx, V1Call &call) {
  auto parsed = openai::parse_image_generation(cx.req.body);
  if (const auto *err = parsed.error_if()) {
    call.fail(cx, *err);
    co_return;
  }
  openai::ImageGenRequest req = std::move(parsed).value();
  const grok::ModelInfo *model = nullptr;
  auto authz = co_await image_model_and_key(cx, call, req, false, model);
  if (!authz) {
    call.fail(cx, authz.error());
    co_return;
  }
  ImagesCall ic;
  ic.model = model;
  ic.job.model = model;
  ic.job.prompt = req.prompt;
  ic.job.n = req.n;
  ic.job.aspect_ratio = openai::aspect_ratio_for(req.size);
  ic.job.pro = model->id == "grok-imagine-image-2.0";
  ic.methods = generation_methods(authz->settings, *model);
  ic.b64 = req.response_format == "b64_json";
  ic.stream.enabled = req.stream;
  ic.stream.max_partials = req.partial_images > 0 ? req.partial_images : 3;
  co_await run_images(cx, call, *authz, ic);
}

Task<void> images_edits(Ctx &cx, V1Call &call) {
  // The size limit is a setting; read it with the key check below, parse with the default first.
  auto parsed =
      openai::parse_image_edit(cx.req.header_or("content-type"), cx.req.body, 50u * 1024u * 1024u);
  if (const auto *err = parsed.error_if()) {
    call.fail(cx, *err);
    co_return;
  }
  openai::ImageEditRequest req = std::move(parsed).value();
  const grok::ModelInfo *model = nullptr;
  auto authz = co_await image_model_and_key(cx, call, req, true, model);
  if (!authz) {
    call.fail(cx, authz.error());
    co_return;
  }
  long long max_bytes = authz->settings.integer("max_image_bytes");
  std::vector<ImageSource> urls;
  std::vector<size_t> url_slots;
  ImagesCall ic;
  for (size_t i = 0; i < req.images.size(); ++i) {
    const auto &img = req.images[i];
    if (!img.url.empty()) {
      urls.push_back({img.url, img.param});
      url_slots.push_back(i);
      ic.job.edit_images.push_back({});
      continue;
    }
    if (static_cast<long long>(img.bytes.size()) > max_bytes) {
      call.fail(cx,
                invalid_request("The image is larger than " + std::to_string(max_bytes) + " bytes.",
                                img.param, "invalid_image"));
      co_return;
    }
    ic.job.edit_images.push_back(ImageInput{img.content_type, std::string(img.bytes), img.param});
  }
  if (!urls.empty()) {
    auto loaded = co_await load_images(cx, urls, max_bytes,
                                       image_host_allowlist(authz->settings.text("image_hosts")));
    if (const auto *err = loaded.error_if()) {
      call.fail(cx, *err);
      co_return;
    }
    auto &got = loaded.value();
    for (size_t k = 0; k < url_slots.size() && k < got.size(); ++k)
      ic.job.edit_images[url_slots[k]] = std::move(got[k]);
  }
  ic.model = model;
  ic.job.model = model;
  ic.job.prompt = req.prompt;
  ic.job.n = req.n;
  ic.job.aspect_ratio = req.size.empty() ? "" : openai::aspect_ratio_for(req.size);
  ic.methods = {Method::Edit};
  ic.b64 = req.response_format == "b64_json";
  ic.stream.enabled = req.stream;
  ic.stream.kind = openai::ImageStream::Edit;
  co_await run_images(cx, call, *authz, ic);
}

Task<void> images_method(Ctx &cx, V1Call &call) {
  auto authz = co_await authorize(cx, call, "");
  if (!authz) {
    call.fail(cx, authz.error());
    co_return;
  }
  std::string m = authz->settings.text("image_generation_method");
  json body{{"image_generation_method", m},
            {"methods", m == "auto" ? json::array({"imagine_ws", "chat"}) : json::array({m})}};
  respond_json(cx, 200, body, call.headers());
}

} // namespace g2a::app
