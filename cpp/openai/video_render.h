// The Videos API's objects as the openai SDK types them: a job (`Video`: id, object "video",
// status queued|in_progress|completed|failed, progress, model, prompt, seconds, size,
// created_at, completed_at, expires_at, error {code, message}, remixed_from_video_id), a
// cursor page of jobs ({object:"list", data, first_id, last_id, has_more}) and the deletion
// answer ({id, object:"video.deleted", deleted:true}). Timestamps are Unix seconds; absent
// ones (0 here) are null.
#pragma once

#include "core/json.h"

#include <string>
#include <vector>

namespace g2a::openai {

struct VideoObject {
  std::string id, status, model, prompt, seconds, size, remixed_from;
  int progress = 0;
  long long created_at_ms = 0, completed_at_ms = 0, expires_at_ms = 0;
  std::string error_code, error_message; // error is null when the code is empty
};

json video_json(const VideoObject &v);
json video_list_json(const std::vector<VideoObject> &page, bool has_more);
json video_deleted_json(const std::string &id);

} // namespace g2a::openai
