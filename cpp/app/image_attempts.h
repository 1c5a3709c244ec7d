// One attempt of the images API on one account, by each method: the imagine WebSocket, the
// chat path (image generation through a conversation, two images per call), and the image
// edit through REST (uploads + mediaGenInput.imageToImage, the legacy form as fallback).
#pragma once

#include "app/grok_config.h"
#include "app/image_inputs.h"
#include "app/media_sink.h"
#include "grok/models.h"
#include "pool/token_pool.h"

#include <string>
#include <vector>

namespace g2a::app {

struct ImageJob {
  const grok::ModelInfo *model = nullptr;
  std::string prompt;
  std::string aspect_ratio = "1:1";
  int n = 1;
  bool pro = false;
  std::vector<ImageInput> edit_images; // edits only
};

struct MediaResult {
  std::vector<CollectedImage> images;
  int moderated = 0;
  answer::Fault fault; // ok() unless the step failed
  bool client_gone = false;
};

Task<MediaResult> imagine_images(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok,
                                 const ImageJob &job, int want, ImageStreamState &stream);
Task<MediaResult> chat_images(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok,
                              const ImageJob &job, int want, ImageStreamState &stream);
Task<MediaResult> edit_images(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok,
                              const ImageJob &job, ImageStreamState &stream);

} // namespace g2a::app
