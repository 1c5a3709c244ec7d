// REST bodies for media through `POST /rest/app-chat/conversations/new` (reference §2.7,
// seed §4.5/§4.6): image edit and video, each in the newest form (`modelName` +
// `mediaGenInput`) and the legacy form (`responseMetadata.modelConfigOverride.modelMap`),
// plus the media post (`/rest/media/post/create`) the legacy video form needs first.
// Image generation through chat is grok/chat_payload.h.
#pragma once

#include "core/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::grok {

// ---- image edit ----------------------------------------------------------------------------

struct ImageEditPayload {
  std::string prompt;
  std::vector<std::string> file_ids;   // newest: upload fileMetadataIds → inputAssets
  std::vector<std::string> image_urls; // legacy: absolute asset URLs → imageReferences
  std::string aspect_ratio;            // newest only; omitted when empty
  std::string parent_post_id;          // legacy only; omitted when empty
};

// {temporary, modelName:"imagine-image-edit", message:prompt, fileAttachments:[],
//  enableImageStreaming, enableSideBySide, sendFinalMetadata, disableTextFollowUps,
//  mediaGenInput:{imageToImage:{prompt, inputAssets:[file_ids…], aspectRatio?}}}
std::string image_edit_body(const ImageEditPayload &in);
// Seed §4.6: the chat payload with modelName "imagine-image-edit" (or, as the seed's second
// try, `grok3_fallback`: "grok-3" + modelMode MODEL_MODE_FAST), toolOverrides {imageGen:true},
// disableTextFollowUps false, no webpageUrls, and responseMetadata {modelConfigOverride:
// {modelMap:{imageEditModel:"imagine", imageEditModelConfig:{imageReferences:[urls…],
// parentPostId?}}}, requestModelDetails:{modelId}}.
std::string image_edit_body_legacy(const ImageEditPayload &in, bool grok3_fallback = false);

// ---- video ---------------------------------------------------------------------------------

// The OpenAI-side `video_config` normalised for both upstream forms.
struct VideoSettings {
  std::string aspect_ratio = "3:2"; // 2:3 | 3:2 | 1:1 | 16:9 | 9:16
  int duration_s = 6;               // 6 | 10 | 15 (see video_settings)
  std::string resolution = "480p";  // 480p | 720p (| 1080p, newest form only)
  std::string preset = "normal";    // fun | normal | spicy | custom
};

struct VideoConfigError {
  std::string param;   // e.g. "video_config.aspect_ratio"
  std::string message; // ends with a period
};

// Validates and clamps the client's video_config (empty strings / video_length <= 0 mean
// "absent" and take the default above):
//   aspect_ratio: one of 2:3, 3:2, 1:1, 16:9, 9:16 as is; another valid ratio `a:b` or `WxH`
//     → the nearest of those five by value; anything else → error.
//   video_length: seconds, rounded up to the next supported duration (1..6 → 6, 7..10 → 10,
//     11..15 → 15); above 15 → error (the caller's parser already bounds it).
//   resolution (case-insensitive): SD | 480p → 480p; HD | 720p → 720p; 1080p | FHD → 1080p;
//     anything else → error.
//   preset (case-insensitive): fun | normal | spicy | custom; anything else → error.
Result<VideoSettings, VideoConfigError> video_settings(std::string_view aspect_ratio,
                                                       long long video_length,
                                                       std::string_view resolution,
                                                       std::string_view preset);

// "--mode=extremely-crazy" (fun), "--mode=normal", "--mode=extremely-spicy-or-crazy" (spicy),
// "--mode=custom" (custom or anything else).
std::string video_mode_flag(std::string_view preset);

struct VideoPayload {
  std::string prompt;
  VideoSettings settings;
  std::string image_asset_id; // newest: set → imageToVideo {inputAssets:[id]}, else textToVideo
  std::string parent_post_id; // legacy: the media post made by media_post_create_body
};

// Newest: {temporary, modelName:"imagine-video-gen", message:"<prompt> <mode flag>",
//  fileAttachments:[], enableImageStreaming, enableSideBySide, sendFinalMetadata,
//  kind:"CONVERSATION_KIND_IMAGINE", responseMetadata:{experiments:[],
//  modelConfigOverride:{modelMap:{}}}, mediaGenInput:{textToVideo | imageToVideo:{prompt,
//  aspectRatio, duration, resolutionName[, inputAssets:[id]]}}}
std::string video_body(const VideoPayload &in);
// Legacy (seed §4.5): {temporary, modelName:"grok-3", message:"<prompt> <mode flag>",
//  toolOverrides:{videoGen:true}, enableSideBySide, responseMetadata:{experiments:[],
//  modelConfigOverride:{modelMap:{videoGenModelConfig:{parentPostId, aspectRatio,
//  videoLength, videoResolution:"SD"|"HD"}}}}} — 1080p becomes "HD" here.
std::string video_body_legacy(const VideoPayload &in);

// `POST /rest/media/post/create`: {"mediaType":"MEDIA_POST_TYPE_IMAGE","mediaUrl":…} when
// media_url is set (image-to-video: the uploaded image's absolute asset URL), else
// {"mediaType":"MEDIA_POST_TYPE_VIDEO","prompt":…}.
std::string media_post_create_body(std::string_view prompt, std::string_view media_url = {});
// The post id of a `{post:{id,…}}` answer; nullopt when absent or not JSON.
std::optional<std::string> parse_media_post_id(std::string_view body);

} // namespace g2a::grok
