// The "renderer" of a video job's attempt: nobody is waiting on the other end, so instead of
// bytes it keeps what the job records — the final video's /images link and its thumbnail's,
// whether Grok moderated the video, and the last progress seen. Behind answer::Renderer so the
// job runs through the same chat_attempt/AnswerSink as the chat video path.
#pragma once

#include "answer/renderer.h"

#include <string>

namespace g2a::app {

struct VideoOutcome {
  std::string video_link, thumb_link; // minted /images links ("" until the video is final)
  bool moderated = false;
  int progress = 0;
};

class VideoCollector : public answer::Renderer {
public:
  explicit VideoCollector(VideoOutcome &out) : out_(out) {}

  void on_event(answer::Event &&ev) override;
  bool streaming() const override { return false; }
  std::string_view content_type() const override { return "application/json"; }
  void begin() override {}
  void flush() override {}
  void finish(answer::StopReason) override { ended_ = true; }
  void fail(const ApiError &) override { ended_ = true; }
  bool ended() const override { return ended_; }
  bool has_output() const override { return !out_.video_link.empty(); }
  answer::Usage usage() const override { return {}; }
  const std::string &content() const override { return out_.video_link; }
  std::string_view pending() const override { return {}; }
  void clear_pending() override {}
  std::string body() const override { return {}; }
  void keepalive() override {} // no client stream: the job runs on its own

private:
  VideoOutcome &out_;
  bool ended_ = false;
};

} // namespace g2a::app
