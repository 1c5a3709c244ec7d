// MediaSink: one upstream attempt of the images API. It decodes the pumped frames (REST
// NDJSON, mgw WebSocket or imagine WebSocket) and keeps what the images API needs: the final
// images (upstream URL and, when the upstream sent it, the image bytes as base64), moderated
// slots and the failure. In stream mode it writes `partial_image` events for previews that
// arrive with their bytes, committing the response on the first one. It stops the pump once
// `want` final images are in.
#pragma once

#include "answer/events.h"
#include "answer/fault.h"
#include "app/upstream_decoder.h"
#include "core/context.h"
#include "openai/image_render.h"

#include <memory>
#include <string>
#include <vector>

namespace g2a::app {

struct CollectedImage {
  std::string id;
  std::string url;  // as the upstream gave it (absolute or asset-relative)
  std::string blob; // base64 JPEG when the upstream sent the bytes
};

// The response stream shared by all attempts of one images request.
struct ImageStreamState {
  bool enabled = false;
  bool committed = false;
  openai::ImageStream kind = openai::ImageStream::Generation;
  long long created = 0;
  int partials = 0;     // partial events written so far
  int max_partials = 3; // per request
  Headers headers;
};

class MediaSink : public Sink, public answer::EventSink {
public:
  MediaSink(DecoderSpec spec, int source, int want, ImageStreamState &stream);

  void start(Ctx &cx);
  void on_data(Ctx &cx, std::string_view bytes) override;
  void on_tick(Ctx &cx) override;
  void on_event(answer::Event &&ev) override;
  void source_ended(Ctx &cx, PumpEnd end, std::string_view detail);

  const std::vector<CollectedImage> &images() const { return images_; }
  int moderated() const { return moderated_; }
  bool done() const { return done_; }
  const answer::Fault &fault() const { return fault_; }

private:
  void partial(const answer::Event &ev);
  int source_;
  int want_;
  ImageStreamState &stream_;
  Ctx *cx_ = nullptr;
  std::unique_ptr<answer::Decoder> decoder_;
  std::vector<CollectedImage> images_;
  std::vector<std::string> seen_;
  int moderated_ = 0;
  bool done_ = false;
  answer::Fault fault_;
};

} // namespace g2a::app
