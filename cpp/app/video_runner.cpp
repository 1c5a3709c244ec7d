// One video job, run for its Durable Object (request kind "video_job", the job id in
// Request::job), outside the request that created it:
//   read the job and the settings; start it (queued → in_progress, bounded restarts) and read
//   the pool in one batch; load the reference image from KV; try up to max_retries accounts
//   through chat_attempt (uploads, the video REST body with its legacy fallback, the NDJSON
//   stream, /images links for the video and its thumbnail), recording progress as it rises;
//   release each account with its outcome however the attempt ended; then complete the job
//   with its media ids, or fail it and refund the key's video quota (once: video_store.h).
#include "app/chat_attempt.h"
#include "app/failure_map.h"
#include "app/grok_config.h"
#include "app/pool_run.h"
#include "app/routes.h"
#include "app/settings.h"
#include "app/v1_call.h"
#include "app/video_collector.h"
#include "app/video_store.h"

namespace g2a::app {

namespace {

// A video's progress is written to D1 each time it rose by this many points.
constexpr int kProgressStep = 5;

std::string media_id_of(const std::string &link) {
  size_t at = link.rfind("/images/");
  return at == std::string::npos ? std::string() : link.substr(at + 8);
}

Task<void> fail_job(Ctx &cx, VideoRow &row, std::string code, std::string message) {
  fail(row.state, std::move(code), std::move(message), cx.now_ms);
  co_await cx.run({fx::d1(video_fail(row, cx.now_ms))});
}

} // namespace

Task<void> run_video_job(Ctx &cx) {
  if (!cx.req.has_db || cx.req.job.empty()) co_return;
  auto res = co_await cx.run({fx::d1({video_select(cx.req.job), settings_select()})});
  const auto r = fx::D1Result::of(fx::result_at(res));
  auto found = video_from_rows(r.rows(0));
  if (!found) co_return; // deleted, or pruned
  VideoRow row = std::move(*found);
  if (is_final(row.state)) co_return;
  Settings settings;
  settings.apply_rows(r.rows(1));
  GrokConfig cfg = grok_config(cx.req, settings);
  cfg.media_base = str_or(row.settings, "media_base");
  const grok::ModelInfo *model = grok::find_model(row.model);
  if (!model) {
    co_await fail_job(cx, row, "model_not_found", "The video model is no longer served.");
    co_return;
  }
  if (!start(row.state)) {
    co_await fail_job(cx, row, "video_job_interrupted",
                      "The video job was interrupted too many times.");
    co_return;
  }

  // Take the job and read the pool in one batch.
  std::vector<fx::Stmt> stmts{video_start(row, cx.now_ms)};
  for (auto &s : PoolRun::reads(*model, cx.now_ms)) stmts.push_back(std::move(s));
  auto taken = co_await cx.run({fx::d1(std::move(stmts))});
  const auto t = fx::D1Result::of(fx::result_at(taken));
  if (!t.ok || t.changes(0) != 1) co_return; // storage down, or not ours
  PoolRun pool(*model, cfg);
  pool.load(json::array({t.rows(1), t.rows(2)}));

  ChatJob job;
  job.model = model;
  job.prompt = row.prompt;
  job.video = true;
  job.deliver = false;
  job.video_prompt = row.prompt;
  job.video_settings.aspect_ratio = str_or(row.settings, "aspect_ratio", "9:16");
  job.video_settings.duration_s = static_cast<int>(int_or(row.settings, "duration_s", 6));
  job.video_settings.resolution = str_or(row.settings, "resolution", "480p");
  job.video_settings.preset = str_or(row.settings, "preset", "normal");
  std::string ref_key = str_or(row.settings, "ref_key");
  if (!ref_key.empty()) {
    auto got = co_await cx.run({fx::kv_get(ref_key, "bytes")});
    const auto g = fx::KvGetResult::of(fx::result_at(got));
    if (!g.found) {
      co_await fail_job(cx, row, "input_reference_unavailable",
                        "The reference image is no longer available; create the video again.");
      co_return;
    }
    job.images.push_back(ImageInput{str_or(row.settings, "ref_mime", "image/png"),
                                    std::string(cx.result_bytes(g.bytes)), "input_reference"});
  }
  VideoOutcome outcome;
  job.renderer = [&outcome]() { return std::make_unique<VideoCollector>(outcome); };
  job.progress_step = kProgressStep;
  const std::string id = row.id;
  job.on_progress = [id](Ctx &c, int p) -> Task<void> {
    co_await c.run({fx::d1({video_progress(id, p, c.now_ms)})});
  };

  V1Call call; // carries the attempt's bookkeeping (tokens, attempts); no client, no log row
  call.id = "job_" + id;
  call.route = "videos.job";
  AttemptResult last;
  bool none_left_at_first = false, done = false;
  for (int attempt = 0; attempt < cfg.max_retries && !done; ++attempt) {
    const pool::TokenRow *tok = co_await pool.acquire(cx, call);
    if (!tok) {
      none_left_at_first = attempt == 0;
      break;
    }
    outcome = VideoOutcome{};
    last = co_await chat_attempt(cx, cfg, call, job, *tok);
    if (outcome.moderated && outcome.video_link.empty()) {
      last.fault = {answer::Failure::Moderated, "video moderated"};
    }
    done = last.fault.ok() || !pool::retry_elsewhere(last.fault.failure);
    co_await pool.finish(cx, *tok, last.fault);
  }
  if (!ref_key.empty()) co_await cx.run({fx::kv_delete({ref_key})});

  if (last.fault.ok() && !outcome.video_link.empty() && !none_left_at_first) {
    complete(row.state, media_id_of(outcome.video_link), media_id_of(outcome.thumb_link),
             cx.now_ms);
    co_await cx.run({fx::d1({video_complete(row, cx.now_ms)})});
    co_return;
  }
  ApiError e = none_left_at_first ? pool.no_token_error(cx.now_ms)
               : last.fault.failure == answer::Failure::Moderated
                   ? invalid_request("Grok moderated the generated video.", {}, "video_moderated")
                   : upstream_error(last.fault);
  if (last.fault.failure == answer::Failure::Moderated) e.code = "video_moderated";
  co_await fail_job(cx, row, e.code.empty() ? "video_generation_failed" : e.code, e.message);
}

} // namespace g2a::app
