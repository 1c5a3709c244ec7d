// Video jobs in D1 (table `videos`, migrations/0010_videos.sql): the parameterised statements
// and the row ↔ struct mapping. Pure: the flows (videos_api.cpp, video_runner.cpp) run them.
// Every write that moves a job is guarded by the state it moves from, so two runners (an alarm
// retried while the first still runs) cannot move a final job, and the refund of a failed job
// is paid at most once (guarded by `refunded`, set in the same batch).
#pragma once

#include "app/video_job_state.h"
#include "core/context.h"
#include "http/response.h"
#include "openai/video_render.h"

#include <optional>
#include <string>
#include <vector>

namespace g2a::app {

struct VideoRow {
  std::string id, key_id, model, seconds, size, prompt, charge_day, remixed_from;
  json settings =
      json::object(); // aspect_ratio, duration_s, resolution, preset[, ref_key, ref_mime]
  VideoJobState state;
  long long created_at = 0, updated_at = 0; // ms
};

// after_charge: the row is inserted only when the statement before it (the quota charge)
// changed its row (SQLite's changes()), so a refused charge stores no job.
fx::Stmt video_insert(const VideoRow &r, bool after_charge = false);
// SELECT of one job by id (any owner: video_from_rows checks it).
fx::Stmt video_select(std::string_view id);
// The row of a video_select result; with a key id, only when that key owns it.
std::optional<VideoRow> video_from_rows(const json &rows, std::string_view key_id = {});

// The key's jobs after the job `after` (none: from the start), `order` asc|desc by creation,
// at most `limit` + 1 rows (the extra one tells has_more).
fx::Stmt video_page(std::string_view key_id, std::string_view after, bool ascending, int limit);
std::vector<VideoRow> videos_from_rows(const json &rows);

fx::Stmt video_delete(std::string_view id, std::string_view key_id);
// A runner takes the job: queued|in_progress → in_progress with the new run count.
fx::Stmt video_start(const VideoRow &r, long long now_ms);
fx::Stmt video_progress(std::string_view id, int progress, long long now_ms);
fx::Stmt video_complete(const VideoRow &r, long long now_ms);
// The failure, then the key's refund and its mark (three statements, one batch): the refund
// is paid only when the job is failed and not refunded yet.
std::vector<fx::Stmt> video_fail(const VideoRow &r, long long now_ms);
// Retention: everything created before `cutoff_ms`.
fx::Stmt videos_prune(long long cutoff_ms);

// The job as the Videos API shows it.
openai::VideoObject video_object(const VideoRow &r);

// 404 "Video with id '…' not found." in OpenAI's shape (code video_not_found).
ApiError video_not_found(std::string_view id);

} // namespace g2a::app
