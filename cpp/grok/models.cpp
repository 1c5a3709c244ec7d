// The model catalogue table.
#include "grok/models.h"

#include <array>

namespace g2a::grok {

const char *tier_name(Tier t) {
  switch (t) {
  case Tier::Basic: return "basic";
  case Tier::Super: return "super";
  case Tier::Heavy: return "heavy";
  }
  return "basic";
}

bool parse_tier(std::string_view s, Tier &out) {
  if (s == "basic" || s == "sso" || s == "ssoBasic") out = Tier::Basic;
  else if (s == "super" || s == "ssoSuper") out = Tier::Super;
  else if (s == "heavy" || s == "ssoHeavy") out = Tier::Heavy;
  else return false;
  return true;
}

const char *model_kind_name(ModelKind k) {
  switch (k) {
  case ModelKind::Chat: return "chat";
  case ModelKind::Image: return "image";
  case ModelKind::ImageEdit: return "image_edit";
  case ModelKind::Video: return "video";
  }
  return "chat";
}

namespace {
using K = ModelKind;
using T = Tier;
// clang-format off
constexpr std::array kModels = {
  // The product's ids.
  ModelInfo{"grok-3", "Grok 3", "Grok 3 (auto mode)", K::Chat, "auto", "grok-3", "MODEL_MODE_AUTO", T::Super, "auto", false, true},
  ModelInfo{"grok-3-fast", "Grok 3 Fast", "Grok 3 in fast mode", K::Chat, "fast", "grok-3", "MODEL_MODE_FAST", T::Basic, "fast", false, true},
  ModelInfo{"grok-4", "Grok 4", "Grok 4 (auto mode)", K::Chat, "auto", "grok-4", "MODEL_MODE_AUTO", T::Super, "auto", true, true},
  ModelInfo{"grok-4-mini", "Grok 4 Mini", "Grok 4 Mini with thinking", K::Chat, "fast", "grok-4-mini-thinking-tahoe", "MODEL_MODE_GROK_4_MINI_THINKING", T::Basic, "fast", true, true},
  ModelInfo{"grok-4-fast", "Grok 4 Fast", "Grok 4 in fast mode", K::Chat, "fast", "grok-4", "MODEL_MODE_FAST", T::Basic, "fast", false, true},
  ModelInfo{"grok-4-heavy", "Grok 4 Heavy", "Grok 4 Heavy multi-agent; needs a Heavy account", K::Chat, "heavy", "grok-4", "MODEL_MODE_HEAVY", T::Heavy, "heavy", true, true},
  ModelInfo{"grok-4.1", "Grok 4.1", "Grok 4.1 (auto mode)", K::Chat, "auto", "grok-4-1-thinking-1129", "MODEL_MODE_AUTO", T::Super, "auto", true, true},
  ModelInfo{"grok-4.1-fast", "Grok 4.1 Fast", "Grok 4.1 in fast mode", K::Chat, "fast", "grok-4-1-thinking-1129", "MODEL_MODE_FAST", T::Basic, "fast", false, true},
  ModelInfo{"grok-4.1-expert", "Grok 4.1 Expert", "Grok 4.1 in expert mode", K::Chat, "expert", "grok-4-1-thinking-1129", "MODEL_MODE_EXPERT", T::Super, "expert", true, true},
  ModelInfo{"grok-4.1-thinking", "Grok 4.1 Thinking", "Grok 4.1 with extended thinking", K::Chat, "expert", "grok-4-1-thinking-1129", "MODEL_MODE_GROK_4_1_THINKING", T::Super, "expert", true, true},
  ModelInfo{"grok-imagine-1.0", "Grok Imagine 1.0", "Image generation", K::Image, "fast", "grok-3", "MODEL_MODE_FAST", T::Basic, "fast", false, true},
  ModelInfo{"grok-imagine-1.0-edit", "Grok Imagine 1.0 Edit", "Image editing", K::ImageEdit, "fast", "imagine-image-edit", "MODEL_MODE_FAST", T::Basic, "fast", false, true},
  ModelInfo{"grok-imagine-1.0-video", "Grok Imagine 1.0 Video", "Video generation through chat completions", K::Video, "auto", "imagine-video-gen", "", T::Basic, "auto", false, true},
  // The newest generation's ids.
  ModelInfo{"grok-chat-fast", "Grok Chat Fast", "Grok web chat, fast mode", K::Chat, "fast", "grok-3", "MODEL_MODE_FAST", T::Basic, "fast", false, true},
  ModelInfo{"grok-chat-auto", "Grok Chat Auto", "Grok web chat, auto mode", K::Chat, "auto", "grok-4", "MODEL_MODE_AUTO", T::Super, "auto", true, true},
  ModelInfo{"grok-chat-expert", "Grok Chat Expert", "Grok web chat, expert mode", K::Chat, "expert", "grok-4", "MODEL_MODE_EXPERT", T::Super, "expert", true, true},
  ModelInfo{"grok-chat-heavy", "Grok Chat Heavy", "Grok web chat, heavy mode; needs a Heavy account", K::Chat, "heavy", "grok-4", "MODEL_MODE_HEAVY", T::Heavy, "heavy", true, true},
  ModelInfo{"grok-imagine-image-lite", "Grok Imagine Image Lite", "Image generation through chat (fast)", K::Image, "fast", "grok-3", "MODEL_MODE_FAST", T::Basic, "fast", false, true},
  ModelInfo{"grok-imagine-image", "Grok Imagine Image", "Image generation (quality)", K::Image, "auto", "grok-imagine-image-quality", "", T::Super, "auto", false, true},
  ModelInfo{"grok-imagine-image-2.0", "Grok Imagine Image 2.0", "Image generation (pro)", K::Image, "auto", "grok-imagine-image-2.0", "", T::Super, "auto", false, true},
  ModelInfo{"grok-imagine-image-edit", "Grok Imagine Image Edit", "Image editing", K::ImageEdit, "auto", "imagine-image-edit", "", T::Super, "auto", false, true},
  ModelInfo{"grok-imagine-video", "Grok Imagine Video", "Video generation", K::Video, "auto", "imagine-video-gen", "", T::Super, "auto", false, true},
};
// clang-format on
} // namespace

std::span<const ModelInfo> models() { return kModels; }

const ModelInfo *find_model(std::string_view id) {
  for (const auto &m : kModels)
    if (m.id == id) return &m;
  return nullptr;
}

const ModelInfo *find_image_model(std::string_view id, bool edit) {
  if (id.empty() || id == "dall-e-2" || id == "dall-e-3" || id == "gpt-image-1" ||
      id == "gpt-image-1-mini" || id == "gpt-image-1.5")
    return find_model(edit ? "grok-imagine-1.0-edit" : "grok-imagine-1.0");
  const ModelInfo *m = find_model(id);
  if (!m) return nullptr;
  if (edit ? m->kind != ModelKind::ImageEdit : m->kind != ModelKind::Image) return nullptr;
  return m;
}

} // namespace g2a::grok
