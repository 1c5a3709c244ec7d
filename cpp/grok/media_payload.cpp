// Media request bodies for REST `conversations/new` and `/rest/media/post/create` (see
// media_payload.h), built with g2a::json so the field order reads like the web app's.
#include "grok/media_payload.h"
#include "core/text.h"

#include "core/json.h"

#include <cmath>

namespace g2a::grok {
namespace {

json string_array(const std::vector<std::string> &v) {
  json a = json::array();
  for (const auto &s : v) a.push_back(s);
  return a;
}

// A positive decimal number ("16", "19.5"); nullopt otherwise (no signs, exponents, spaces).
std::optional<double> positive_number(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  double v = 0, scale = 0;
  bool digits = false;
  for (char c : s) {
    if (c == '.') {
      if (scale != 0) return std::nullopt;
      scale = 1;
    } else if (c >= '0' && c <= '9') {
      digits = true;
      if (scale != 0) {
        scale /= 10;
        v += (c - '0') * scale;
      } else {
        v = v * 10 + (c - '0');
      }
    } else {
      return std::nullopt;
    }
  }
  if (!digits || !(v > 0)) return std::nullopt;
  return v;
}

// "a:b" or "WxH" as a width/height ratio.
std::optional<double> ratio_value(std::string_view s) {
  size_t sep = s.find_first_of(":xX");
  if (sep == std::string_view::npos) return std::nullopt;
  auto w = positive_number(s.substr(0, sep));
  auto h = positive_number(s.substr(sep + 1));
  if (!w || !h) return std::nullopt;
  return *w / *h;
}

constexpr std::string_view kVideoRatios[] = {"2:3", "3:2", "1:1", "16:9", "9:16"};

// The common flags of the newest media bodies (the web app's imagine page).
json newest_media_base(std::string_view model_name, std::string message) {
  json body = json::object();
  body["temporary"] = true;
  body["modelName"] = model_name;
  body["message"] = std::move(message);
  body["fileAttachments"] = json::array();
  body["imageAttachments"] = json::array();
  body["enableImageStreaming"] = true;
  body["enableSideBySide"] = true;
  body["sendFinalMetadata"] = true;
  body["disableTextFollowUps"] = true;
  return body;
}

} // namespace

std::string image_edit_body(const ImageEditPayload &in) {
  json body = newest_media_base("imagine-image-edit", in.prompt);
  json i2i = {{"prompt", in.prompt}, {"inputAssets", string_array(in.file_ids)}};
  if (!in.aspect_ratio.empty()) i2i["aspectRatio"] = in.aspect_ratio;
  body["mediaGenInput"] = {{"imageToImage", std::move(i2i)}};
  return dump(body);
}

std::string image_edit_body_legacy(const ImageEditPayload &in, bool grok3_fallback) {
  std::string_view model = grok3_fallback ? "grok-3" : "imagine-image-edit";
  json body = json::object();
  body["temporary"] = true;
  body["modelName"] = model;
  if (grok3_fallback) body["modelMode"] = "MODEL_MODE_FAST";
  body["message"] = in.prompt;
  body["fileAttachments"] = json::array();
  body["imageAttachments"] = json::array();
  body["disableSearch"] = false;
  body["enableImageGeneration"] = true;
  body["returnImageBytes"] = false;
  body["returnRawGrokInXaiRequest"] = false;
  body["enableImageStreaming"] = true;
  body["imageGenerationCount"] = 2;
  body["forceConcise"] = false;
  body["toolOverrides"] = {{"imageGen", true}};
  body["enableSideBySide"] = true;
  body["sendFinalMetadata"] = true;
  body["isReasoning"] = false;
  body["disableTextFollowUps"] = false;
  json config = {{"imageReferences", string_array(in.image_urls)}};
  if (!in.parent_post_id.empty()) config["parentPostId"] = in.parent_post_id;
  body["responseMetadata"] = {
      {"modelConfigOverride",
       {{"modelMap",
         {{"imageEditModel", "imagine"}, {"imageEditModelConfig", std::move(config)}}}}},
      {"requestModelDetails", {{"modelId", model}}}};
  body["disableMemory"] = true;
  body["forceSideBySide"] = false;
  body["isAsyncChat"] = false;
  body["disableSelfHarmShortCircuit"] = false;
  return dump(body);
}

Result<VideoSettings, VideoConfigError> video_settings(std::string_view aspect_ratio,
                                                       long long video_length,
                                                       std::string_view resolution,
                                                       std::string_view preset) {
  VideoSettings out;
  if (!aspect_ratio.empty()) {
    bool listed = false;
    for (auto r : kVideoRatios) listed = listed || aspect_ratio == r;
    if (listed) {
      out.aspect_ratio.assign(aspect_ratio);
    } else {
      auto v = ratio_value(aspect_ratio);
      if (!v)
        return VideoConfigError{"video_config.aspect_ratio",
                                "expected one of '2:3', '3:2', '1:1', '16:9', '9:16' (or a "
                                "ratio like '4:3' or a size like '1280x720')."};
      double best = 1e9;
      for (auto r : kVideoRatios) {
        double d = std::fabs(std::log(*v) - std::log(*ratio_value(r)));
        if (d < best - 1e-12) {
          best = d;
          out.aspect_ratio.assign(r);
        }
      }
    }
  }
  if (video_length > 0) {
    if (video_length <= 6)
      out.duration_s = 6;
    else if (video_length <= 10)
      out.duration_s = 10;
    else if (video_length <= 15)
      out.duration_s = 15;
    else
      return VideoConfigError{"video_config.video_length",
                              "expected a number of seconds up to 15 (videos are 6, 10 or 15 "
                              "seconds long)."};
  }
  if (!resolution.empty()) {
    std::string r = text::lower(resolution);
    if (r == "sd" || r == "480p" || r == "480")
      out.resolution = "480p";
    else if (r == "hd" || r == "720p" || r == "720")
      out.resolution = "720p";
    else if (r == "1080p" || r == "1080" || r == "fhd" || r == "full_hd")
      out.resolution = "1080p";
    else
      return VideoConfigError{"video_config.resolution",
                              "expected one of 'SD', 'HD', '480p', '720p', '1080p'."};
  }
  if (!preset.empty()) {
    std::string p = text::lower(preset);
    if (p != "fun" && p != "normal" && p != "spicy" && p != "custom")
      return VideoConfigError{"video_config.preset",
                              "expected one of 'fun', 'normal', 'spicy', 'custom'."};
    out.preset = p;
  }
  return out;
}

std::string video_mode_flag(std::string_view preset) {
  std::string p = text::lower(preset);
  if (p == "fun") return "--mode=extremely-crazy";
  if (p == "normal") return "--mode=normal";
  if (p == "spicy") return "--mode=extremely-spicy-or-crazy";
  return "--mode=custom";
}

namespace {
std::string video_message(const VideoPayload &in) {
  std::string m = in.prompt;
  if (!m.empty()) m += ' ';
  m += video_mode_flag(in.settings.preset);
  return m;
}
} // namespace

std::string video_body(const VideoPayload &in) {
  json body = newest_media_base("imagine-video-gen", video_message(in));
  body["kind"] = "CONVERSATION_KIND_IMAGINE";
  body["responseMetadata"] = {{"experiments", json::array()},
                              {"modelConfigOverride", {{"modelMap", json::object()}}}};
  const VideoSettings &s = in.settings;
  json input = {{"prompt", in.prompt},
                {"aspectRatio", s.aspect_ratio},
                {"duration", s.duration_s},
                {"resolutionName", s.resolution}};
  if (in.image_asset_id.empty()) {
    body["mediaGenInput"] = {{"textToVideo", std::move(input)}};
  } else {
    input["inputAssets"] = json::array({in.image_asset_id});
    body["mediaGenInput"] = {{"imageToVideo", std::move(input)}};
  }
  return dump(body);
}

std::string video_body_legacy(const VideoPayload &in) {
  const VideoSettings &s = in.settings;
  json body = json::object();
  body["temporary"] = true;
  body["modelName"] = "grok-3";
  body["message"] = video_message(in);
  body["fileAttachments"] = json::array();
  body["toolOverrides"] = {{"videoGen", true}};
  body["enableSideBySide"] = true;
  body["responseMetadata"] = {
      {"experiments", json::array()},
      {"modelConfigOverride",
       {{"modelMap",
         {{"videoGenModelConfig",
           {{"parentPostId", in.parent_post_id},
            {"aspectRatio", s.aspect_ratio},
            {"videoLength", s.duration_s},
            {"videoResolution", s.resolution == "480p" ? "SD" : "HD"}}}}}}}};
  return dump(body);
}

std::string media_post_create_body(std::string_view prompt, std::string_view media_url) {
  json body = json::object();
  if (!media_url.empty()) {
    body["mediaType"] = "MEDIA_POST_TYPE_IMAGE";
    body["mediaUrl"] = media_url;
  } else {
    body["mediaType"] = "MEDIA_POST_TYPE_VIDEO";
    body["prompt"] = prompt;
  }
  return dump(body);
}

std::optional<std::string> parse_media_post_id(std::string_view body) {
  auto j = parse_json(body);
  if (!j) return std::nullopt;
  const json &id = jget(*j, "post", "id");
  if (id.is_string() && !id.get_ref<const std::string &>().empty()) return id.get<std::string>();
  // Some answers carry the id at the top level or as a number.
  if (id.is_number_integer()) return std::to_string(id.get<long long>());
  const json &top = jget(*j, "postId");
  if (top.is_string() && !top.get_ref<const std::string &>().empty()) return top.get<std::string>();
  return std::nullopt;
}

} // namespace g2a::grok
