// What a Videos API request asks Grok for: which video model serves it, and how OpenAI's
// `seconds` and `size` become Grok's duration, aspect ratio and resolution. Pure.
//
// Models: a Grok video model id (grok-imagine-1.0-video, grok-imagine-video) is used as is;
// `sora-2-pro…` → grok-imagine-video (Super accounts, 720p allowed); any other id, `sora-2…`
// or none → kDefaultVideoModel (grok-imagine-1.0-video, Basic accounts). A known model that
// is not a video model is refused (400 model_not_supported).
// Duration: Grok makes 6, 10 or 15 second videos; `seconds` is rounded up to the next one
// (OpenAI's 4 → 6, 8 → 10, 12 → 15; absent → 6).
// Aspect ratio: the nearest of Grok's video ratios (2:3, 3:2, 1:1, 16:9, 9:16) to W/H
// (absent → OpenAI's default 720x1280 → 9:16).
// Resolution: 720p when the shorter side asked for is at least 720 and the model's tier
// allows it (Basic accounts have no 720p video quota), else 480p.
// The job reports what Grok is asked to make: `seconds` = the duration, `size` = the
// resolution's short side and the ratio's long side (720p 9:16 → "720x1280", 480p 16:9 →
// "854x480").
#pragma once

#include "grok/media_payload.h"
#include "grok/models.h"
#include "http/api_result.h"
#include "http/response.h"

#include <string>
#include <string_view>

namespace g2a::app {

inline constexpr std::string_view kDefaultVideoModel = "grok-imagine-1.0-video";
inline constexpr std::string_view kProVideoModel = "grok-imagine-video";

struct VideoPlan {
  const grok::ModelInfo *model = nullptr;
  grok::VideoSettings settings;
  std::string size;    // as reported on the job, "WxH"
  std::string seconds; // as reported on the job, "6" | "10" | "15"
};

// The video model for a requested id (see above), or the 400.
ApiResult<const grok::ModelInfo *> video_model_for(std::string_view requested);

// seconds: 0 = absent; size: "" = absent (both already checked by the parser).
ApiResult<VideoPlan> plan_video(std::string_view model, int seconds, std::string_view size);

} // namespace g2a::app
