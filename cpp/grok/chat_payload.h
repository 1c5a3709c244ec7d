// Builds the JSON body of REST `POST /rest/app-chat/conversations/new` for chat and image
// generation through chat: newest shape (`modeId`) or legacy (`modelName` + `modelMode`). The
// follow-up `conversations/{id}/responses` takes the same body plus `parentResponseId`.
#pragma once

#include "grok/models.h"

#include <string>
#include <vector>

namespace g2a::grok {

struct ChatPayloadInput {
  const ModelInfo *model = nullptr;
  std::string message;               // flattened prompt
  std::vector<std::string> file_ids; // upload fileMetadataIds
  bool temporary = true;
  bool disable_memory = true;
  bool disable_search = false;
  bool enable_image_generation = true;
  int image_count = 2;
  bool legacy = false; // true: modelName + modelMode instead of modeId
  // A follow-up (`conversations/{id}/responses`): the assistant response it answers.
  std::string parent_response_id;
};

std::string rest_conversation_body(const ChatPayloadInput &in);

} // namespace g2a::grok
