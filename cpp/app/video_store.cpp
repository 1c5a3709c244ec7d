// Video job statements (see video_store.h).
#include "app/video_store.h"

namespace g2a::app {

namespace {
constexpr const char *kColumns =
    "id, key_id, status, progress, model, seconds, size, prompt, settings, error_code, "
    "error_message, video_media, thumb_media, charge_day, refunded, runs, remixed_from, "
    "created_at, updated_at, completed_at";

json null_if_empty(const std::string &s) {
  return s.empty() ? json(nullptr) : json(s);
}

VideoRow row_from(const json &row) {
  VideoRow r;
  r.id = str_or(row, "id");
  r.key_id = str_or(row, "key_id");
  r.model = str_or(row, "model");
  r.seconds = str_or(row, "seconds");
  r.size = str_or(row, "size");
  r.prompt = str_or(row, "prompt");
  r.charge_day = str_or(row, "charge_day");
  r.remixed_from = str_or(row, "remixed_from");
  if (auto s = parse_json(str_or(row, "settings")); s && s->is_object()) r.settings = *s;
  VideoJobState &st = r.state;
  if (!parse_video_status(str_or(row, "status"), st.status)) st.status = VideoStatus::Failed;
  st.progress = static_cast<int>(int_or(row, "progress"));
  st.runs = static_cast<int>(int_or(row, "runs"));
  st.completed_at = int_or(row, "completed_at");
  st.error_code = str_or(row, "error_code");
  st.error_message = str_or(row, "error_message");
  st.video_media = str_or(row, "video_media");
  st.thumb_media = str_or(row, "thumb_media");
  st.refunded = int_or(row, "refunded") != 0;
  r.created_at = int_or(row, "created_at");
  r.updated_at = int_or(row, "updated_at");
  return r;
}
} // namespace

fx::Stmt video_insert(const VideoRow &r, bool after_charge) {
  return {std::string("INSERT INTO videos (id, key_id, status, progress, model, seconds, size, "
                      "prompt, settings, charge_day, remixed_from, created_at, updated_at) "
                      "SELECT ?1, ?2, ?3, 0, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11") +
              (after_charge ? " WHERE changes() = 1" : ""),
          json::array({r.id, r.key_id, video_status_name(r.state.status), r.model, r.seconds,
                       r.size, r.prompt, dump(r.settings), r.charge_day,
                       null_if_empty(r.remixed_from), r.created_at})};
}

fx::Stmt video_select(std::string_view id) {
  return {std::string("SELECT ") + kColumns + " FROM videos WHERE id = ?1", json::array({id})};
}

std::optional<VideoRow> video_from_rows(const json &rows, std::string_view key_id) {
  if (!rows.is_array() || rows.empty()) return std::nullopt;
  VideoRow r = row_from(rows[0]);
  if (r.id.empty() || (!key_id.empty() && r.key_id != key_id)) return std::nullopt;
  return r;
}

fx::Stmt video_page(std::string_view key_id, std::string_view after, bool ascending, int limit) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM videos WHERE key_id = ?1";
  if (!after.empty())
    sql += ascending ? " AND (created_at, id) > (SELECT created_at, id FROM videos WHERE id = ?2 "
                       "AND key_id = ?1)"
                     : " AND (created_at, id) < (SELECT created_at, id FROM videos WHERE id = ?2 "
                       "AND key_id = ?1)";
  sql += ascending ? " ORDER BY created_at ASC, id ASC" : " ORDER BY created_at DESC, id DESC";
  sql += " LIMIT ?3";
  return {sql, json::array({key_id, after, limit + 1})};
}

std::vector<VideoRow> videos_from_rows(const json &rows) {
  std::vector<VideoRow> out;
  if (!rows.is_array()) return out;
  for (const auto &row : rows) out.push_back(row_from(row));
  return out;
}

fx::Stmt video_delete(std::string_view id, std::string_view key_id) {
  return {"DELETE FROM videos WHERE id = ?1 AND key_id = ?2", json::array({id, key_id})};
}

fx::Stmt video_start(const VideoRow &r, long long now_ms) {
  return {"UPDATE videos SET status = 'in_progress', runs = ?2, updated_at = ?3 "
          "WHERE id = ?1 AND status IN ('queued', 'in_progress')",
          json::array({r.id, r.state.runs, now_ms})};
}

fx::Stmt video_progress(std::string_view id, int progress, long long now_ms) {
  return {"UPDATE videos SET progress = MAX(progress, ?2), updated_at = ?3 "
          "WHERE id = ?1 AND status = 'in_progress'",
          json::array({id, progress, now_ms})};
}

fx::Stmt video_complete(const VideoRow &r, long long now_ms) {
  return {"UPDATE videos SET status = 'completed', progress = 100, video_media = ?2, "
          "thumb_media = ?3, completed_at = ?4, updated_at = ?4 "
          "WHERE id = ?1 AND status = 'in_progress'",
          json::array({r.id, r.state.video_media, null_if_empty(r.state.thumb_media), now_ms})};
}

std::vector<fx::Stmt> video_fail(const VideoRow &r, long long now_ms) {
  return {
      {"UPDATE videos SET status = 'failed', error_code = ?2, error_message = ?3, "
       "completed_at = ?4, updated_at = ?4 WHERE id = ?1 AND status IN ('queued', 'in_progress')",
       json::array({r.id, r.state.error_code, r.state.error_message, now_ms})},
      {"UPDATE api_key_usage SET video_used = MAX(video_used - 1, 0) WHERE key_id = ?1 AND "
       "day = ?2 AND EXISTS (SELECT 1 FROM videos WHERE id = ?3 AND status = 'failed' AND "
       "refunded = 0)",
       json::array({r.key_id, r.charge_day, r.id})},
      {"UPDATE videos SET refunded = 1 WHERE id = ?1 AND status = 'failed'", json::array({r.id})}};
}

fx::Stmt videos_prune(long long cutoff_ms) {
  return {"DELETE FROM videos WHERE created_at < ?1", json::array({cutoff_ms})};
}

openai::VideoObject video_object(const VideoRow &r) {
  openai::VideoObject v;
  v.id = r.id;
  v.status = video_status_name(r.state.status);
  v.progress = r.state.progress;
  v.model = r.model;
  v.prompt = r.prompt;
  v.seconds = r.seconds;
  v.size = r.size;
  v.remixed_from = r.remixed_from;
  v.created_at_ms = r.created_at;
  v.completed_at_ms =
      r.state.status == VideoStatus::Completed || r.state.status == VideoStatus::Failed
          ? r.state.completed_at
          : 0;
  if (r.state.status == VideoStatus::Failed) {
    v.error_code = r.state.error_code.empty() ? "video_generation_failed" : r.state.error_code;
    v.error_message = r.state.error_message;
  }
  return v;
}

ApiError video_not_found(std::string_view id) {
  return ApiError{.status = 404,
                  .type = "invalid_request_error",
                  .message = "Video with id '" + std::string(id.substr(0, 100)) + "' not found.",
                  .param = "video_id",
                  .code = "video_not_found"};
}

} // namespace g2a::app
