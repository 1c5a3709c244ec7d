// Video job transitions (see video_job_state.h).
#include "app/video_job_state.h"

#include <algorithm>

namespace g2a::app {

const char *video_status_name(VideoStatus s) {
  switch (s) {
  case VideoStatus::Queued:
    return "queued";
  case VideoStatus::InProgress:
    return "in_progress";
  case VideoStatus::Completed:
    return "completed";
  case VideoStatus::Failed:
    return "failed";
  }
  return "failed";
}

bool parse_video_status(std::string_view s, VideoStatus &out) {
  for (VideoStatus v :
       {VideoStatus::Queued, VideoStatus::InProgress, VideoStatus::Completed, VideoStatus::Failed})
    if (s == video_status_name(v)) {
      out = v;
      return true;
    }
  return false;
}

bool is_final(const VideoJobState &s) {
  return s.status == VideoStatus::Completed || s.status == VideoStatus::Failed;
}

bool start(VideoJobState &s) {
  if (is_final(s) || s.runs >= kMaxRuns) return false;
  s.status = VideoStatus::InProgress;
  ++s.runs;
  return true;
}

bool advance(VideoJobState &s, int p) {
  if (s.status != VideoStatus::InProgress) return false;
  p = std::clamp(p, 0, 99);
  if (p <= s.progress) return false;
  s.progress = p;
  return true;
}

bool complete(VideoJobState &s, std::string video_media, std::string thumb_media,
              long long now_ms) {
  if (s.status != VideoStatus::InProgress) return false;
  s.status = VideoStatus::Completed;
  s.progress = 100;
  s.video_media = std::move(video_media);
  s.thumb_media = std::move(thumb_media);
  s.completed_at = now_ms;
  return true;
}

bool fail(VideoJobState &s, std::string code, std::string message, long long now_ms) {
  if (is_final(s)) return false;
  s.status = VideoStatus::Failed;
  s.error_code = std::move(code);
  s.error_message = std::move(message);
  s.completed_at = now_ms;
  if (!s.charged || s.refunded) return false;
  s.refunded = true;
  return true;
}

} // namespace g2a::app
