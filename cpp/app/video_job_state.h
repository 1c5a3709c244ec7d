// The life of one video job, as a pure state machine:
//   queued ──start──▶ in_progress ──progress(p)──▶ in_progress ──complete──▶ completed
//      │                   │
//      └──────fail─────────┴──────────────────────────────────────────────▶ failed
// Progress only moves forward and stays below 100 until the job completes (100). completed
// and failed are final: every later transition is refused (false), so a job is refunded at
// most once — fail() answers whether this failure owes the key its refund (the first failure
// of a job that was charged). start() on a job already in_progress is a restart (the runner
// was interrupted and runs it again): allowed kMaxRuns times in all, then the job fails.
#pragma once

#include <string>
#include <string_view>

namespace g2a::app {

enum class VideoStatus { Queued, InProgress, Completed, Failed };
const char *video_status_name(VideoStatus s); // queued | in_progress | completed | failed
bool parse_video_status(std::string_view s, VideoStatus &out);

struct VideoJobState {
  VideoStatus status = VideoStatus::Queued;
  int progress = 0;           // 0..100
  int runs = 0;               // how many times a runner started it
  long long completed_at = 0; // ms; set when completed or failed
  std::string error_code, error_message;
  std::string video_media, thumb_media; // /images ids of the result
  bool charged = true;                  // the key's video quota was charged for it
  bool refunded = false;
};

inline constexpr int kMaxRuns = 3;

bool is_final(const VideoJobState &s);
// queued → in_progress (runs = 1); in_progress → in_progress while runs < kMaxRuns (a
// restart; progress is kept). False otherwise (final, or out of runs: the caller fails it).
bool start(VideoJobState &s);
// in_progress only; p is clamped to 0..99; true when the stored progress rose.
bool advance(VideoJobState &s, int p);
// in_progress only: completed, progress 100, the result's media ids.
bool complete(VideoJobState &s, std::string video_media, std::string thumb_media, long long now_ms);
// queued or in_progress → failed with the error; true when the key is owed its refund now
// (charged and not refunded yet; refunded is then set). False for a final job.
bool fail(VideoJobState &s, std::string code, std::string message, long long now_ms);

} // namespace g2a::app
