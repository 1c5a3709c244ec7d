// Videos API objects (see video_render.h).
#include "openai/video_render.h"

namespace g2a::openai {
namespace {
json seconds_or_null(long long ms) {
  return ms > 0 ? json(ms / 1000) : json(nullptr);
}
json string_or_null(const std::string &s) {
  return s.empty() ? json(nullptr) : json(s);
}
} // namespace

json video_json(const VideoObject &v) {
  json error = nullptr;
  if (!v.error_code.empty()) error = json{{"code", v.error_code}, {"message", v.error_message}};
  return json{{"id", v.id},
              {"object", "video"},
              {"status", v.status},
              {"progress", v.progress},
              {"model", v.model},
              {"prompt", string_or_null(v.prompt)},
              {"seconds", v.seconds},
              {"size", v.size},
              {"created_at", v.created_at_ms / 1000},
              {"completed_at", seconds_or_null(v.completed_at_ms)},
              {"expires_at", seconds_or_null(v.expires_at_ms)},
              {"error", std::move(error)},
              {"remixed_from_video_id", string_or_null(v.remixed_from)}};
}

json video_list_json(const std::vector<VideoObject> &page, bool has_more) {
  json data = json::array();
  for (const auto &v : page) data.push_back(video_json(v));
  return json{{"object", "list"},
              {"data", std::move(data)},
              {"first_id", page.empty() ? json(nullptr) : json(page.front().id)},
              {"last_id", page.empty() ? json(nullptr) : json(page.back().id)},
              {"has_more", has_more}};
}

json video_deleted_json(const std::string &id) {
  return json{{"id", id}, {"object", "video.deleted"}, {"deleted", true}};
}

} // namespace g2a::openai
