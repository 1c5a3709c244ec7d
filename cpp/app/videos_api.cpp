// The OpenAI Videos API as jobs: POST /v1/videos (validated, charged against the key's daily
// video quota once, stored as a queued job in D1 and handed to its Durable Object, answered at
// once), GET /v1/videos/{id}, GET /v1/videos (the key's own jobs, a cursor page), DELETE
// /v1/videos/{id} (a finished job), GET /v1/videos/{id}/content?variant=video|thumbnail
// (through the /images media path: KV cache, Range) and POST /v1/videos/{id}/remix (a 400:
// the Grok web upstream offers no remix of a finished video). Jobs belong to the key that
// made them: another key gets 404. The job itself runs in video_runner.cpp.
#include "app/grok_config.h"
#include "app/image_inputs.h"
#include "app/routes.h"
#include "app/v1_auth.h"
#include "app/v1_routes.h"
#include "app/video_plan.h"
#include "app/video_store.h"
#include "auth/api_keys.h"
#include "core/bytes.h"
#include "core/text.h"
#include "core/time.h"
#include "http/path.h"
#include "openai/video_render.h"
#include "openai/video_request.h"

namespace g2a::app {

namespace {

constexpr std::string_view kPrefix = "/v1/videos/";
constexpr long long kReferenceTtlS = 24 * 3600; // the reference image waits this long in KV

json video_body(const VideoRow &r) {
  return openai::video_json(video_object(r));
}

// The caller's job `id` (read in authorize()'s batch): the key's error, or 404 when it is not
// the caller's.
Task<ApiResult<VideoRow>> load_owned(Ctx &cx, V1Call &call, const std::string &id) {
  auto authz = co_await authorize(cx, call, "", {video_select(id)});
  if (!authz) co_return std::move(authz).error();
  auto row = video_from_rows(jget(authz->reads, 0), authz->key.id);
  if (!row) co_return video_not_found(id);
  call.model = row->model;
  co_return std::move(*row);
}

ApiError bad_query(const char *param, const char *why) {
  return invalid_request(std::string("Invalid value for '") + param + "': " + why, param,
                         "invalid_value");
}

} // namespace

Task<void> videos_create(Ctx &cx, V1Call &call) {
  auto parsed = openai::parse_video_create(cx.req.header_or("content-type"), cx.req.body,
                                           50u * 1024u * 1024u);
  if (const auto *err = parsed.error_if()) {
    call.fail(cx, *err);
    co_return;
  }
  openai::VideoCreateRequest req = std::move(parsed).value();
  call.model = req.model;
  auto planned = plan_video(req.model, req.seconds, req.size);
  if (const auto *err = planned.error_if()) {
    call.fail(cx, *err);
    co_return;
  }
  VideoPlan plan = std::move(planned).value();
  call.model = std::string(plan.model->id);
  auto authz = co_await authorize(cx, call, plan.model->id);
  if (!authz) {
    call.fail(cx, authz.error());
    co_return;
  }
  GrokConfig cfg = grok_config(cx.req, authz->settings);

  // The reference image, loaded and checked before anything is charged.
  std::optional<ImageInput> reference;
  if (req.input_reference) {
    const auto &ref = *req.input_reference;
    long long max_bytes = cfg.max_image_bytes;
    if (!ref.url.empty()) {
      auto loaded = co_await load_images(cx, {ImageSource{ref.url, "input_reference"}}, max_bytes,
                                         image_host_allowlist(authz->settings.text("image_hosts")));
      if (const auto *err = loaded.error_if()) {
        call.fail(cx, *err);
        co_return;
      }
      auto &got = loaded.value();
      if (!got.empty()) reference = std::move(got[0]);
    } else {
      if (static_cast<long long>(ref.bytes.size()) > max_bytes) {
        call.fail(
            cx, invalid_request("The image is larger than " + std::to_string(max_bytes) + " bytes.",
                                "input_reference", "invalid_image"));
        co_return;
      }
      reference = ImageInput{ref.content_type, std::string(ref.bytes), "input_reference"};
    }
  }

  VideoRow row;
  std::string rnd = co_await cx.random(12);
  row.id = "video_" + hex_encode(rnd);
  row.key_id = authz->key.id;
  row.model = std::string(plan.model->id);
  row.seconds = plan.seconds;
  row.size = plan.size;
  row.prompt = req.prompt;
  row.charge_day = local_day(cx.now_ms, cx.req.var_int("CACHE_RESET_TZ_OFFSET_MINUTES", 480));
  row.created_at = cx.now_ms;
  row.updated_at = cx.now_ms;
  row.settings = json{{"aspect_ratio", plan.settings.aspect_ratio},
                      {"duration_s", plan.settings.duration_s},
                      {"resolution", plan.settings.resolution},
                      {"preset", plan.settings.preset},
                      {"media_base", cfg.media_base}};
  if (reference) {
    if (!cx.req.has_kv) {
      call.fail(cx, storage_unavailable());
      co_return;
    }
    std::string key = "video_ref:" + row.id;
    auto put = co_await cx.run(
        {fx::kv_put(key, json{{"data", cx.stage_blob(reference->bytes)}},
                    cx.now_ms / 1000 + kReferenceTtlS, json{{"mime", reference->mime}})});
    if (!fx::Ack::of(fx::result_at(put)).ok) {
      call.fail(cx, storage_unavailable());
      co_return;
    }
    row.settings["ref_key"] = key;
    row.settings["ref_mime"] = reference->mime;
  }

  // One batch: charge the key's video quota, store the job only when the charge passed.
  auth::Charge charge;
  charge.video = 1;
  std::vector<fx::Stmt> stmts = auth::quota_charge(authz->key, row.charge_day, charge);
  stmts.push_back(video_insert(row, true));
  stmts.push_back(auth::key_touch(authz->key, cx.now_ms));
  auto res = co_await cx.run({fx::d1(std::move(stmts))});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) {
    call.fail(cx, storage_unavailable());
    co_return;
  }
  if (r.changes(1) != 1) {
    call.fail(cx, auth::quota_exceeded_error(charge));
    co_return;
  }

  // Hand it to its Durable Object; if that fails the job fails at once (and is refunded).
  auto started = co_await cx.run(
      {fx::effect(fx::JobStart{"VIDEO_JOBS", row.id, dump(json{{"job", row.id}})})});
  if (!fx::Ack::of(fx::result_at(started)).ok) {
    fail(row.state, "video_jobs_unavailable", "The video job could not be started.", cx.now_ms);
    co_await cx.run({fx::d1(video_fail(row, cx.now_ms))});
    ApiError e{.status = 503,
               .type = "server_error",
               .message = "The video job could not be started; try again later.",
               .code = "video_jobs_unavailable"};
    call.fail(cx, e);
    co_return;
  }
  respond_json(cx, 200, video_body(row), call.headers());
}

Task<void> videos_get(Ctx &cx, V1Call &call) {
  auto [id, sub] = id_and_sub(cx.req.path, kPrefix);
  if (!sub.empty() && sub != "content") {
    call.fail(cx, not_found_route(cx.req.method, cx.req.path));
    co_return;
  }
  if (sub == "content") call.route = "videos.content";
  std::string variant = cx.req.query_param("variant").value_or("video");
  if (sub == "content" && variant != "video" && variant != "thumbnail") {
    call.fail(cx, bad_query("variant", variant == "spritesheet"
                                           ? "spritesheets are not made by Grok; use 'video' or "
                                             "'thumbnail'."
                                           : "expected 'video' or 'thumbnail'."));
    co_return;
  }
  auto row = co_await load_owned(cx, call, id);
  if (!row) {
    call.fail(cx, row.error());
    co_return;
  }
  if (sub.empty()) {
    respond_json(cx, 200, video_body(*row), call.headers());
    co_return;
  }
  if (row->state.status != VideoStatus::Completed) {
    call.fail(cx, invalid_request("Video with id '" + id + "' is " +
                                      video_status_name(row->state.status) +
                                      "; its content is available once it is completed.",
                                  {}, "video_not_ready"));
    co_return;
  }
  const std::string &media =
      variant == "thumbnail" ? row->state.thumb_media : row->state.video_media;
  if (media.empty()) {
    call.fail(cx, video_not_found(id));
    co_return;
  }
  co_await serve_media(cx, media);
}

Task<void> videos_list(Ctx &cx, V1Call &call) {
  std::string order = cx.req.query_param("order").value_or("desc");
  if (order != "asc" && order != "desc") {
    call.fail(cx, bad_query("order", "expected 'asc' or 'desc'."));
    co_return;
  }
  int limit = 20;
  if (auto l = cx.req.query_param("limit")) {
    auto n = text::parse_int_in(*l, 1, 100);
    if (!n) {
      call.fail(cx, bad_query("limit", "expected an integer from 1 to 100."));
      co_return;
    }
    limit = *n;
  }
  std::string after = cx.req.query_param("after").value_or("");
  auto authz = co_await authorize(cx, call, "");
  if (!authz) {
    call.fail(cx, authz.error());
    co_return;
  }
  auto res = co_await cx.run({fx::d1({video_page(authz->key.id, after, order == "asc", limit)})});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) {
    call.fail(cx, storage_unavailable());
    co_return;
  }
  std::vector<VideoRow> rows = videos_from_rows(r.rows(0));
  bool more = rows.size() > static_cast<size_t>(limit);
  if (more) rows.resize(static_cast<size_t>(limit));
  std::vector<openai::VideoObject> page;
  for (const auto &row : rows) page.push_back(video_object(row));
  respond_json(cx, 200, openai::video_list_json(page, more), call.headers());
}

Task<void> videos_delete(Ctx &cx, V1Call &call) {
  auto [id, sub] = id_and_sub(cx.req.path, kPrefix);
  if (!sub.empty()) {
    call.fail(cx, not_found_route(cx.req.method, cx.req.path));
    co_return;
  }
  auto row = co_await load_owned(cx, call, id);
  if (!row) {
    call.fail(cx, row.error());
    co_return;
  }
  if (!is_final(row->state)) {
    call.fail(cx, invalid_request("Video with id '" + id + "' is still " +
                                      video_status_name(row->state.status) +
                                      "; only a completed or failed video can be deleted.",
                                  {}, "video_not_finished"));
    co_return;
  }
  std::vector<fx::Stmt> stmts{video_delete(id, row->key_id)};
  // Its media links go with it: the content cannot be fetched through them any more.
  stmts.push_back({"DELETE FROM media_links WHERE id IN (?1, ?2)",
                   json::array({row->state.video_media, row->state.thumb_media})});
  auto res = co_await cx.run({fx::d1(std::move(stmts))});
  if (!fx::Ack::of(fx::result_at(res)).ok) {
    call.fail(cx, storage_unavailable());
    co_return;
  }
  respond_json(cx, 200, openai::video_deleted_json(id), call.headers());
}

Task<void> videos_remix(Ctx &cx, V1Call &call) {
  auto [id, sub] = id_and_sub(cx.req.path, kPrefix);
  if (sub != "remix") {
    call.fail(cx, not_found_route(cx.req.method, cx.req.path));
    co_return;
  }
  auto parsed = openai::parse_video_remix(cx.req.header_or("content-type"), cx.req.body);
  if (const auto *err = parsed.error_if()) {
    call.fail(cx, *err);
    co_return;
  }
  auto row = co_await load_owned(cx, call, id);
  if (!row) {
    call.fail(cx, row.error());
    co_return;
  }
  call.fail(cx, invalid_request("Remixing a video is not supported: the Grok upstream cannot edit "
                                "or extend a finished video. Create a new video with POST "
                                "/v1/videos instead.",
                                {}, "unsupported_operation"));
}

} // namespace g2a::app
