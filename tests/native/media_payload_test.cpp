// Media payloads (grok/media_payload.h): image edit and video bodies in the newest
// (`mediaGenInput`) and legacy (`modelConfigOverride.modelMap`) forms, the media post, and the
// video_config validation and clamping.
#include "grok/media_payload.h"

#include "core/json.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::grok;

namespace {
json parsed(const std::string &s) {
  auto j = parse_json(s);
  EXPECT_TRUE(j.has_value()) << s;
  return j ? *j : json();
}

VideoSettings settings(std::string_view ar, long long len, std::string_view res,
                       std::string_view preset) {
  auto r = video_settings(ar, len, res, preset);
  if (auto *e = std::get_if<VideoConfigError>(&r)) {
    ADD_FAILURE() << e->param << ": " << e->message;
    return {};
  }
  return std::get<VideoSettings>(r);
}

std::string settings_error(std::string_view ar, long long len, std::string_view res,
                           std::string_view preset) {
  auto r = video_settings(ar, len, res, preset);
  if (auto *e = std::get_if<VideoConfigError>(&r)) return e->param;
  ADD_FAILURE() << "expected an error";
  return {};
}
} // namespace

TEST(MediaPayloadEdit, Newest) {
  ImageEditPayload in;
  in.prompt = "make it \"blue\"";
  in.file_ids = {"f1", "f2"};
  in.aspect_ratio = "16:9";
  json b = parsed(image_edit_body(in));
  EXPECT_EQ(b["modelName"], "imagine-image-edit");
  EXPECT_EQ(b["message"], "make it \"blue\"");
  EXPECT_EQ(b["temporary"], true);
  EXPECT_TRUE(b["fileAttachments"].is_array());
  EXPECT_FALSE(b.contains("modeId"));
  EXPECT_FALSE(b.contains("responseMetadata"));
  const json &i2i = b["mediaGenInput"]["imageToImage"];
  EXPECT_EQ(i2i["prompt"], "make it \"blue\"");
  EXPECT_EQ(i2i["inputAssets"], json::array({"f1", "f2"}));
  EXPECT_EQ(i2i["aspectRatio"], "16:9");
  in.aspect_ratio.clear();
  EXPECT_FALSE(
      parsed(image_edit_body(in))["mediaGenInput"]["imageToImage"].contains("aspectRatio"));
}

TEST(MediaPayloadEdit, LegacyAndGrok3Fallback) {
  ImageEditPayload in;
  in.prompt = "p";
  in.image_urls = {"https://assets.grok.com/users/u/f1/content"};
  json b = parsed(image_edit_body_legacy(in));
  EXPECT_EQ(b["modelName"], "imagine-image-edit");
  EXPECT_FALSE(b.contains("modelMode"));
  EXPECT_FALSE(b.contains("webpageUrls"));
  EXPECT_FALSE(b.contains("mediaGenInput"));
  EXPECT_EQ(b["message"], "p");
  EXPECT_EQ(b["temporary"], true);
  EXPECT_EQ(b["toolOverrides"], json({{"imageGen", true}}));
  EXPECT_EQ(b["disableTextFollowUps"], false);
  const json &mm = b["responseMetadata"]["modelConfigOverride"]["modelMap"];
  EXPECT_EQ(mm["imageEditModel"], "imagine");
  EXPECT_EQ(mm["imageEditModelConfig"]["imageReferences"],
            json::array({"https://assets.grok.com/users/u/f1/content"}));
  EXPECT_FALSE(mm["imageEditModelConfig"].contains("parentPostId"));
  EXPECT_EQ(b["responseMetadata"]["requestModelDetails"]["modelId"], "imagine-image-edit");

  in.parent_post_id = "post-1";
  b = parsed(image_edit_body_legacy(in, true));
  EXPECT_EQ(b["modelName"], "grok-3");
  EXPECT_EQ(b["modelMode"], "MODEL_MODE_FAST");
  EXPECT_EQ(b["responseMetadata"]["requestModelDetails"]["modelId"], "grok-3");
  EXPECT_EQ(b["responseMetadata"]["modelConfigOverride"]["modelMap"]["imageEditModelConfig"]
             ["parentPostId"],
            "post-1");
}

TEST(MediaPayloadVideo, SettingsDefaultsAndMapping) {
  VideoSettings d = settings("", 0, "", "");
  EXPECT_EQ(d.aspect_ratio, "3:2");
  EXPECT_EQ(d.duration_s, 6);
  EXPECT_EQ(d.resolution, "480p");
  EXPECT_EQ(d.preset, "normal");

  EXPECT_EQ(settings("16:9", 0, "", "").aspect_ratio, "16:9");
  EXPECT_EQ(settings("9:16", 0, "", "").aspect_ratio, "9:16");
  EXPECT_EQ(settings("4:3", 0, "", "").aspect_ratio, "3:2"); // nearest of the five
  EXPECT_EQ(settings("3:4", 0, "", "").aspect_ratio, "2:3");
  EXPECT_EQ(settings("1280x720", 0, "", "").aspect_ratio, "16:9");
  EXPECT_EQ(settings("21:9", 0, "", "").aspect_ratio, "16:9");
  EXPECT_EQ(settings("1024x1024", 0, "", "").aspect_ratio, "1:1");

  EXPECT_EQ(settings("", 1, "", "").duration_s, 6);
  EXPECT_EQ(settings("", 6, "", "").duration_s, 6);
  EXPECT_EQ(settings("", 7, "", "").duration_s, 10);
  EXPECT_EQ(settings("", 10, "", "").duration_s, 10);
  EXPECT_EQ(settings("", 12, "", "").duration_s, 15);
  EXPECT_EQ(settings("", 15, "", "").duration_s, 15);

  EXPECT_EQ(settings("", 0, "SD", "").resolution, "480p");
  EXPECT_EQ(settings("", 0, "hd", "").resolution, "720p");
  EXPECT_EQ(settings("", 0, "720P", "").resolution, "720p");
  EXPECT_EQ(settings("", 0, "480p", "").resolution, "480p");
  EXPECT_EQ(settings("", 0, "1080p", "").resolution, "1080p");

  EXPECT_EQ(settings("", 0, "", "FUN").preset, "fun");
  EXPECT_EQ(settings("", 0, "", "spicy").preset, "spicy");
  EXPECT_EQ(settings("", 0, "", "custom").preset, "custom");
}

TEST(MediaPayloadVideo, SettingsErrors) {
  EXPECT_EQ(settings_error("wide", 0, "", ""), "video_config.aspect_ratio");
  EXPECT_EQ(settings_error("0:9", 0, "", ""), "video_config.aspect_ratio");
  EXPECT_EQ(settings_error("", 16, "", ""), "video_config.video_length");
  EXPECT_EQ(settings_error("", 0, "4k", ""), "video_config.resolution");
  EXPECT_EQ(settings_error("", 0, "", "wild"), "video_config.preset");
}

TEST(MediaPayloadVideo, ModeFlags) {
  EXPECT_EQ(video_mode_flag("fun"), "--mode=extremely-crazy");
  EXPECT_EQ(video_mode_flag("normal"), "--mode=normal");
  EXPECT_EQ(video_mode_flag("Spicy"), "--mode=extremely-spicy-or-crazy");
  EXPECT_EQ(video_mode_flag("custom"), "--mode=custom");
  EXPECT_EQ(video_mode_flag("whatever"), "--mode=custom");
}

TEST(MediaPayloadVideo, NewestTextAndImageToVideo) {
  VideoPayload in;
  in.prompt = "a cat surfing";
  in.settings = settings("16:9", 10, "HD", "fun");
  json b = parsed(video_body(in));
  EXPECT_EQ(b["modelName"], "imagine-video-gen");
  EXPECT_EQ(b["message"], "a cat surfing --mode=extremely-crazy");
  EXPECT_EQ(b["kind"], "CONVERSATION_KIND_IMAGINE");
  EXPECT_EQ(b["responseMetadata"]["modelConfigOverride"]["modelMap"], json::object());
  const json &t2v = b["mediaGenInput"]["textToVideo"];
  EXPECT_EQ(t2v["prompt"], "a cat surfing");
  EXPECT_EQ(t2v["aspectRatio"], "16:9");
  EXPECT_EQ(t2v["duration"], 10);
  EXPECT_EQ(t2v["resolutionName"], "720p");
  EXPECT_FALSE(t2v.contains("inputAssets"));
  EXPECT_FALSE(b["mediaGenInput"].contains("imageToVideo"));

  in.image_asset_id = "asset-1";
  b = parsed(video_body(in));
  EXPECT_FALSE(b["mediaGenInput"].contains("textToVideo"));
  const json &i2v = b["mediaGenInput"]["imageToVideo"];
  EXPECT_EQ(i2v["inputAssets"], json::array({"asset-1"}));
  EXPECT_EQ(i2v["duration"], 10);

  in.prompt.clear(); // image-only video: the message is just the mode flag
  EXPECT_EQ(parsed(video_body(in))["message"], "--mode=extremely-crazy");
}

TEST(MediaPayloadVideo, Legacy) {
  VideoPayload in;
  in.prompt = "waves";
  in.parent_post_id = "post-9";
  in.settings = settings("", 0, "", "");
  json b = parsed(video_body_legacy(in));
  EXPECT_EQ(b["modelName"], "grok-3");
  EXPECT_EQ(b["message"], "waves --mode=normal");
  EXPECT_EQ(b["toolOverrides"], json({{"videoGen", true}}));
  EXPECT_EQ(b["enableSideBySide"], true);
  EXPECT_FALSE(b.contains("mediaGenInput"));
  const json &cfg = b["responseMetadata"]["modelConfigOverride"]["modelMap"]["videoGenModelConfig"];
  EXPECT_EQ(cfg["parentPostId"], "post-9");
  EXPECT_EQ(cfg["aspectRatio"], "3:2");
  EXPECT_EQ(cfg["videoLength"], 6);
  EXPECT_EQ(cfg["videoResolution"], "SD");
  EXPECT_EQ(b["responseMetadata"]["experiments"], json::array());

  in.settings = settings("", 0, "720p", "spicy");
  b = parsed(video_body_legacy(in));
  EXPECT_EQ(b["message"], "waves --mode=extremely-spicy-or-crazy");
  EXPECT_EQ(b["responseMetadata"]["modelConfigOverride"]["modelMap"]["videoGenModelConfig"]
             ["videoResolution"],
            "HD");
  in.settings = settings("", 0, "1080p", "");
  EXPECT_EQ(parsed(video_body_legacy(in))["responseMetadata"]["modelConfigOverride"]["modelMap"]
                                         ["videoGenModelConfig"]["videoResolution"],
            "HD");
}

TEST(MediaPayloadPost, CreateBodyAndAnswer) {
  EXPECT_EQ(media_post_create_body("a dog"),
            R"({"mediaType":"MEDIA_POST_TYPE_VIDEO","prompt":"a dog"})");
  EXPECT_EQ(
      media_post_create_body("ignored", "https://assets.grok.com/users/u/f/content"),
      R"({"mediaType":"MEDIA_POST_TYPE_IMAGE","mediaUrl":"https://assets.grok.com/users/u/f/content"})");
  EXPECT_EQ(parse_media_post_id(R"({"post":{"id":"p-1","mediaType":"MEDIA_POST_TYPE_VIDEO"}})"),
            "p-1");
  EXPECT_EQ(parse_media_post_id(R"({"postId":"p-2"})"), "p-2");
  EXPECT_EQ(parse_media_post_id(R"({"post":{"id":""}})"), std::nullopt);
  EXPECT_EQ(parse_media_post_id(R"({"post":{}})"), std::nullopt);
  EXPECT_EQ(parse_media_post_id(R"({"post":"p"})"), std::nullopt);
  EXPECT_EQ(parse_media_post_id("not json"), std::nullopt);
  EXPECT_EQ(parse_media_post_id(""), std::nullopt);
}
