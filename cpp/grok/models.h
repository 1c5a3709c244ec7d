// The model catalogue: every public id the gateway accepts, mapped to the newest upstream
// form (a mode on the mgw WebSocket, `modeId` on REST) with the legacy REST form
// (`modelName` + `modelMode`) as fallback, the account tier it needs and its quota bucket.
#pragma once

#include <span>
#include <string_view>

namespace g2a::grok {

enum class Tier { Basic = 0, Super = 1, Heavy = 2 }; // basic = the product's `sso`, super = `ssoSuper`
const char *tier_name(Tier t);
bool parse_tier(std::string_view s, Tier &out); // basic|super|heavy (also sso|ssoSuper|ssoBasic)

enum class ModelKind { Chat, Image, ImageEdit, Video };
const char *model_kind_name(ModelKind k);

struct ModelInfo {
  std::string_view id;           // public OpenAI-facing id
  std::string_view display_name;
  std::string_view description;
  ModelKind kind;
  std::string_view mode;         // newest: mgw session.model / REST modeId (fast|auto|expert|heavy)
  std::string_view legacy_model; // legacy REST modelName
  std::string_view legacy_mode;  // legacy REST modelMode (MODEL_MODE_*), may be empty
  Tier tier;                     // minimum account tier
  std::string_view bucket;       // quota bucket: the mode name the newest rate-limits API takes
  bool reasoning;                // upstream produces reasoning for this model
  bool public_listing;           // shown in /v1/models
};

std::span<const ModelInfo> models();
const ModelInfo *find_model(std::string_view id);
// Image-API model names: the gateway's imagine ids plus OpenAI's (dall-e-2/3, gpt-image-1)
// mapped to the default image model. Returns nullptr when the id is not an image model.
const ModelInfo *find_image_model(std::string_view id, bool edit);

} // namespace g2a::grok
