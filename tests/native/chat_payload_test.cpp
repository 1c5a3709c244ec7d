// REST conversations/new body: newest shape (modeId) and legacy shape (modelName+modelMode).
#include "core/json.h"
#include "grok/chat_payload.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::grok;

namespace {

json body(const ChatPayloadInput &in) {
  auto j = parse_json(rest_conversation_body(in));
  EXPECT_TRUE(j.has_value());
  return j ? *j : json();
}

} // namespace

TEST(ChatPayload, NewestShapeUsesModeIdOnly) {
  ChatPayloadInput in;
  in.model = find_model("grok-4.1-expert");
  ASSERT_NE(in.model, nullptr);
  in.message = "hello";
  in.file_ids = {"f1", "f2"};
  json b = body(in);
  EXPECT_EQ(b["modeId"], "expert");
  EXPECT_FALSE(b.contains("modelName"));
  EXPECT_FALSE(b.contains("modelMode"));
  EXPECT_EQ(b["message"], "hello");
  EXPECT_EQ(b["fileAttachments"], json::array({"f1", "f2"}));
  EXPECT_EQ(b["imageAttachments"], json::array());
  EXPECT_EQ(b["temporary"], true);
  EXPECT_EQ(b["disableMemory"], true);
  EXPECT_EQ(b["disableSearch"], false);
  EXPECT_EQ(b["enableImageGeneration"], true);
  EXPECT_EQ(b["returnImageBytes"], false);
  EXPECT_EQ(b["returnRawGrokInXaiRequest"], false);
  EXPECT_EQ(b["enableImageStreaming"], true);
  EXPECT_EQ(b["imageGenerationCount"], 2);
  EXPECT_EQ(b["forceConcise"], false);
  EXPECT_EQ(b["toolOverrides"], json::object());
  EXPECT_EQ(b["enableSideBySide"], true);
  EXPECT_EQ(b["sendFinalMetadata"], true);
  EXPECT_EQ(b["isReasoning"], false);
  EXPECT_EQ(b["disableTextFollowUps"], true);
  EXPECT_EQ(b["responseMetadata"]["requestModelDetails"]["modelId"], "expert");
  EXPECT_EQ(b["forceSideBySide"], false);
  EXPECT_EQ(b["isAsyncChat"], false);
  EXPECT_EQ(b["disableSelfHarmShortCircuit"], false);
  EXPECT_EQ(b["collectionIds"], json::array());
  ASSERT_TRUE(b["deviceEnvInfo"].is_object());
  EXPECT_EQ(b["deviceEnvInfo"]["darkModeEnabled"], false);
  EXPECT_GT(b["deviceEnvInfo"]["screenWidth"].get<int>(), 0);
  EXPECT_GT(b["deviceEnvInfo"]["viewportHeight"].get<int>(), 0);
}

TEST(ChatPayload, LegacyShapeUsesModelNameAndMode) {
  ChatPayloadInput in;
  in.model = find_model("grok-4-mini");
  ASSERT_NE(in.model, nullptr);
  in.legacy = true;
  in.message = "hi";
  in.temporary = false;
  in.disable_memory = false;
  in.disable_search = true;
  in.enable_image_generation = false;
  in.image_count = 1;
  json b = body(in);
  EXPECT_FALSE(b.contains("modeId"));
  EXPECT_EQ(b["modelName"], "grok-4-mini-thinking-tahoe");
  EXPECT_EQ(b["modelMode"], "MODEL_MODE_GROK_4_MINI_THINKING");
  EXPECT_EQ(b["responseMetadata"]["requestModelDetails"]["modelId"], "grok-4-mini-thinking-tahoe");
  EXPECT_EQ(b["temporary"], false);
  EXPECT_EQ(b["disableMemory"], false);
  EXPECT_EQ(b["disableSearch"], true);
  EXPECT_EQ(b["enableImageGeneration"], false);
  EXPECT_EQ(b["imageGenerationCount"], 1);
  EXPECT_EQ(b["fileAttachments"], json::array());
}

TEST(ChatPayload, LegacyMediaModelWithoutModeOmitsModelMode) {
  ChatPayloadInput in;
  in.model = find_model("grok-imagine-1.0-video");
  ASSERT_NE(in.model, nullptr);
  in.legacy = true;
  json b = body(in);
  EXPECT_EQ(b["modelName"], "imagine-video-gen");
  EXPECT_FALSE(b.contains("modelMode"));
}

TEST(ChatPayload, MessageIsEscapedAndCompact) {
  ChatPayloadInput in;
  in.model = find_model("grok-4");
  in.message = "quote \" newline \n unicode é \xff";
  std::string raw = rest_conversation_body(in);
  EXPECT_EQ(raw.find('\n'), std::string::npos);
  json b = body(in);
  EXPECT_EQ(b["message"], "quote \" newline \n unicode é \xEF\xBF\xBD");
  // Key order: the mode first, as the web app sends it.
  EXPECT_EQ(raw.rfind("{\"temporary\":true,\"modeId\":\"auto\",\"message\":", 0), 0u);
}

TEST(ChatPayload, FollowUpNamesItsParentResponseOnlyWhenGiven) {
  ChatPayloadInput in;
  in.model = find_model("grok-4");
  in.message = "and then?";
  EXPECT_FALSE(body(in).contains("parentResponseId")) << "a new chat names no parent";
  in.parent_response_id = "r-42";
  json b = body(in);
  EXPECT_EQ(b["parentResponseId"], "r-42");
  EXPECT_EQ(b["message"], "and then?");
  EXPECT_EQ(b["modeId"], "auto") << "otherwise the same body as a new chat";
}
