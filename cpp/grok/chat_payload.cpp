// The REST `conversations/new` request body: newest shape (`modeId`) or legacy shape
// (`modelName` + `modelMode`), with the behaviour flags the web app sends.
#include "grok/chat_payload.h"

#include "core/json.h"

namespace g2a::grok {

std::string rest_conversation_body(const ChatPayloadInput &in) {
  std::string_view mode = in.model ? in.model->mode : std::string_view("auto");
  std::string_view legacy_model = in.model ? in.model->legacy_model : std::string_view("grok-4");
  std::string_view legacy_mode = in.model ? in.model->legacy_mode : std::string_view{};

  json files = json::array();
  for (const auto &id : in.file_ids) files.push_back(id);

  json body = json::object();
  body["temporary"] = in.temporary;
  if (in.legacy) {
    body["modelName"] = legacy_model;
    if (!legacy_mode.empty()) body["modelMode"] = legacy_mode;
  } else {
    body["modeId"] = mode;
  }
  body["message"] = in.message;
  body["fileAttachments"] = std::move(files);
  body["imageAttachments"] = json::array();
  body["disableSearch"] = in.disable_search;
  body["enableImageGeneration"] = in.enable_image_generation;
  body["returnImageBytes"] = false;
  body["returnRawGrokInXaiRequest"] = false;
  body["enableImageStreaming"] = true;
  body["imageGenerationCount"] = in.image_count;
  body["forceConcise"] = false;
  body["toolOverrides"] = json::object();
  body["enableSideBySide"] = true;
  body["sendFinalMetadata"] = true;
  body["isReasoning"] = false;
  body["webpageUrls"] = json::array();
  body["disableTextFollowUps"] = true;
  body["responseMetadata"] = {
      {"requestModelDetails", {{"modelId", in.legacy ? legacy_model : mode}}}};
  body["disableMemory"] = in.disable_memory;
  body["forceSideBySide"] = false;
  body["isAsyncChat"] = false;
  body["disableSelfHarmShortCircuit"] = false;
  body["collectionIds"] = json::array();
  // A plausible desktop browser (1920×1080 screen, Retina-less, light mode).
  body["deviceEnvInfo"] = {{"darkModeEnabled", false}, {"devicePixelRatio", 1},
                           {"screenWidth", 1920},      {"screenHeight", 1080},
                           {"viewportWidth", 1536},    {"viewportHeight", 864}};
  if (!in.parent_response_id.empty()) body["parentResponseId"] = in.parent_response_id;
  return dump(body);
}

} // namespace g2a::grok
