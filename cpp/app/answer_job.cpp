// The job every answer route builds from its conversation (see answer_job.h).
#include "app/answer_job.h"
#include "tools/prompt.h"

#include <algorithm>

namespace g2a::app {

namespace {

std::vector<ImageSource> image_sources(const answer::Conversation &conv) {
  std::vector<ImageSource> out;
  for (const auto &t : conv.turns)
    for (const auto &img : t.images) out.push_back({img.url, img.param});
  return out;
}

bool blank(std::string_view s) {
  return s.find_first_not_of(" \n\t") == std::string_view::npos;
}

} // namespace

Task<ApiResult<ChatJob>> build_answer_job(Ctx &cx, const grok::ModelInfo &model,
                                          const GrokConfig &cfg, const Settings &settings,
                                          const JobRequest &req) {
  const answer::Conversation &conv = *req.conversation;
  std::string turns_param(req.turns_param);
  // Images for vision: counted, loaded and checked before anything is charged.
  std::vector<ImageSource> sources = image_sources(conv);
  if (sources.size() > cfg.max_images)
    co_return invalid_request("At most " + std::to_string(cfg.max_images) +
                                  " images are accepted per request.",
                              turns_param, "too_many_images");
  ChatJob job;
  job.model = &model;
  job.stream = req.stream;
  if (!sources.empty()) {
    auto loaded = co_await load_images(cx, sources, cfg.max_image_bytes,
                                       image_host_allowlist(settings.text("image_hosts")));
    if (const auto *err = loaded.error_if()) co_return std::move(*err);
    job.images = std::move(loaded).value();
  }
  answer::Flattened flat = tools::render_prompt(conv, cfg.max_images);
  job.prompt = model.kind == grok::ModelKind::Image ? "Drawing: " + flat.prompt : flat.prompt;
  using M = answer::ToolChoice::Mode;
  if (model.kind == grok::ModelKind::Chat && tools::offers_tools(conv) &&
      (conv.tool_choice.mode == M::Required || conv.tool_choice.mode == M::Named))
    job.retry_prompt = tools::render_prompt(conv, cfg.max_images, true).prompt;
  if (model.kind == grok::ModelKind::Video && req.video) {
    job.video = true;
    job.video_settings = *req.video;
    job.video_prompt = flat.prompt;
    for (auto it = conv.turns.rbegin(); it != conv.turns.rend(); ++it)
      if (it->role == "user" && !it->text.empty()) {
        job.video_prompt = it->text;
        break;
      }
    if (job.images.size() > 1) job.images.resize(1); // image-to-video takes the first image
  }
  if (req.continuation && req.new_turns && model.kind == grok::ModelKind::Chat) {
    job.continuation = *req.continuation;
    job.continuation->prompt = tools::render_prompt(*req.new_turns, cfg.max_images).prompt;
    if (!job.retry_prompt.empty())
      job.continuation->retry_prompt =
          tools::render_prompt(*req.new_turns, cfg.max_images, true).prompt;
    job.continuation->new_images =
        std::min(image_sources(*req.new_turns).size(), job.images.size());
    if (blank(job.continuation->prompt) && job.continuation->new_images == 0)
      job.continuation.reset();
  }
  if (blank(job.prompt) && job.images.empty())
    co_return invalid_request("The " + turns_param + " contain no text.", turns_param,
                              "empty_prompt");
  co_return job;
}

} // namespace g2a::app
