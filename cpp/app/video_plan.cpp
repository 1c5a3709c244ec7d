// Video plans (see video_plan.h).
#include "app/video_plan.h"

#include "openai/video_request.h"

#include <cmath>

namespace g2a::app {

ApiResult<const grok::ModelInfo *> video_model_for(std::string_view requested) {
  if (const grok::ModelInfo *m = grok::find_model(requested)) {
    if (m->kind == grok::ModelKind::Video) return m;
    return invalid_request("The model '" + std::string(requested) +
                               "' is not a video model; use grok-imagine-1.0-video or "
                               "grok-imagine-video.",
                           "model", "model_not_supported");
  }
  std::string_view id = requested.rfind("sora-2-pro", 0) == 0 ? kProVideoModel : kDefaultVideoModel;
  return grok::find_model(id);
}

ApiResult<VideoPlan> plan_video(std::string_view model, int seconds, std::string_view size) {
  auto m = video_model_for(model);
  if (const auto *e = m.error_if()) return *e;
  VideoPlan plan;
  plan.model = m.value();
  int w = 720, h = 1280;
  if (!size.empty()) {
    auto dims = openai::parse_video_size(size);
    if (!dims) return invalid_request("Invalid value for 'size'.", "size", "invalid_value");
    w = dims->first;
    h = dims->second;
  }
  bool hd = std::min(w, h) >= 720 && plan.model->tier != grok::Tier::Basic;
  std::string ratio = std::to_string(w) + "x" + std::to_string(h);
  auto s = grok::video_settings(ratio, seconds, hd ? "720p" : "480p", "");
  if (const auto *e = s.error_if())
    return invalid_request(
        "Invalid value for '" +
            std::string(e->param == "video_config.video_length" ? "seconds" : "size") +
            "': " + e->message,
        e->param == "video_config.video_length" ? "seconds" : "size", "invalid_value");
  plan.settings = s.value();
  const std::string &ar = plan.settings.aspect_ratio;
  struct Ratio {
    std::string_view name;
    int a, b;
  };
  static constexpr Ratio kRatios[] = {
      {"2:3", 2, 3}, {"3:2", 3, 2}, {"1:1", 1, 1}, {"16:9", 16, 9}, {"9:16", 9, 16}};
  double a = 1, b = 1;
  for (const auto &r : kRatios)
    if (ar == r.name) a = r.a, b = r.b;
  int short_side = hd ? 720 : 480;
  double big = a > b ? a / b : b / a;
  int long_side = static_cast<int>(std::lround(short_side * big / 2.0)) * 2;
  if (a == b) long_side = short_side;
  plan.size = a >= b ? std::to_string(long_side) + "x" + std::to_string(short_side)
                     : std::to_string(short_side) + "x" + std::to_string(long_side);
  plan.seconds = std::to_string(plan.settings.duration_s);
  return plan;
}

} // namespace g2a::app
