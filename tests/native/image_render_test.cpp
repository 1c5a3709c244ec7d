// Images API output (openai/image_render.h): the response JSON and the SSE events, byte for
// byte, in the shapes the openai SDK (v6, resources/images.d.ts) types.
#include "openai/image_render.h"

#include "core/json.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace g2a;
using namespace g2a::openai;

TEST(ImageRenderJson, UrlAndB64) {
  std::vector<RenderedImage> imgs = {{"https://gw.test/images/a.b", "", ""},
                                     {"https://gw.test/images/c.d", "", "a \"fox\""}};
  ImageUsage u{5, 0, 2112};
  EXPECT_EQ(images_response_json(1700000000, imgs, u),
            R"({"created":1700000000,"data":[{"url":"https://gw.test/images/a.b"},)"
            R"({"url":"https://gw.test/images/c.d","revised_prompt":"a \"fox\""}],)"
            R"("output_format":"jpeg","usage":{"input_tokens":5,"output_tokens":2112,)"
            R"("total_tokens":2117,"input_tokens_details":{"text_tokens":5,"image_tokens":0}}})");

  ImagesMeta meta;
  meta.size = "1024x1024";
  meta.quality = "high";
  meta.output_format.clear();
  EXPECT_EQ(images_response_json(1, {{"", "QUJD", ""}}, ImageUsage{1, 85, 1056}, meta),
            R"({"created":1,"data":[{"b64_json":"QUJD"}],"quality":"high","size":"1024x1024",)"
            R"("usage":{"input_tokens":86,"output_tokens":1056,"total_tokens":1142,)"
            R"("input_tokens_details":{"text_tokens":1,"image_tokens":85}}})");
  // An empty list is still a valid response.
  auto j = parse_json(images_response_json(1, {}, {}));
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)["data"], json::array());
}

TEST(ImageRenderJson, Usage) {
  ImageUsage u = image_usage("a red fox", 2, 3);
  EXPECT_GT(u.text_tokens, 0);
  EXPECT_EQ(u.image_tokens, 2 * kInputImageTokens);
  EXPECT_EQ(u.output_tokens, 3 * kOutputImageTokens);
}

TEST(ImageRenderSse, GenerationEvents) {
  EXPECT_EQ(image_partial_event(ImageStream::Generation, {"", "UFJF", ""}, 0, 1700000000),
            "event: image_generation.partial_image\n"
            R"(data: {"type":"image_generation.partial_image","b64_json":"UFJF",)"
            R"("created_at":1700000000,"size":"auto","quality":"auto","background":"auto",)"
            R"("output_format":"jpeg","partial_image_index":0})"
            "\n\n");
  ImagesMeta meta;
  meta.size = "1024x1536";
  meta.quality = "medium";
  EXPECT_EQ(image_completed_event(ImageStream::Generation, {"", "RklO", ""}, 1700000001,
                                  ImageUsage{3, 0, 1056}, meta),
            "event: image_generation.completed\n"
            R"(data: {"type":"image_generation.completed","b64_json":"RklO",)"
            R"("created_at":1700000001,"size":"1024x1536","quality":"medium",)"
            R"("background":"auto","output_format":"jpeg","usage":{"input_tokens":3,)"
            R"("output_tokens":1056,"total_tokens":1059,"input_tokens_details":)"
            R"({"text_tokens":3,"image_tokens":0}}})"
            "\n\n");
}

TEST(ImageRenderSse, EditEventsUrlModeAndIndex) {
  std::string partial =
      image_partial_event(ImageStream::Edit, {"https://gw.test/p", "", ""}, 2, 7, {}, 1);
  EXPECT_EQ(partial, "event: image_edit.partial_image\n"
                     R"(data: {"type":"image_edit.partial_image","url":"https://gw.test/p",)"
                     R"("created_at":7,"size":"auto","quality":"auto","background":"auto",)"
                     R"("output_format":"jpeg","partial_image_index":2,"index":1})"
                     "\n\n");
  std::string done = image_completed_event(ImageStream::Edit, {"https://gw.test/f", "", "r"}, 8,
                                           ImageUsage{}, {}, 1);
  EXPECT_EQ(done, "event: image_edit.completed\n"
                  R"(data: {"type":"image_edit.completed","url":"https://gw.test/f",)"
                  R"("created_at":8,"size":"auto","quality":"auto","background":"auto",)"
                  R"("output_format":"jpeg","revised_prompt":"r","index":1,"usage":)"
                  R"({"input_tokens":0,"output_tokens":0,"total_tokens":0,)"
                  R"("input_tokens_details":{"text_tokens":0,"image_tokens":0}}})"
                  "\n\n");
  // Every data line is one valid JSON object whose type matches the event line.
  for (const std::string &ev : {partial, done}) {
    size_t d = ev.find("\ndata: ");
    ASSERT_NE(d, std::string::npos);
    auto j = parse_json(std::string_view(ev).substr(d + 7, ev.size() - d - 9));
    ASSERT_TRUE(j);
    EXPECT_EQ(ev.substr(7, d - 7), (*j)["type"].get<std::string>());
  }
}

TEST(ImageRenderSse, ErrorEventHasNoEventLine) {
  ApiError e = invalid_request("Your request was rejected by the safety system.", "prompt",
                               "content_policy_violation");
  EXPECT_EQ(image_error_event(e),
            R"(data: {"error":{"message":"Your request was rejected by the safety system.",)"
            R"("type":"invalid_request_error","param":"prompt","code":"content_policy_violation"}})"
            "\n\n");
}

TEST(ImageRenderSse, EscapesAndLargeBlobs) {
  std::string blob(3 << 20, 'A');
  std::string ev = image_completed_event(ImageStream::Generation, {"", blob, "line\nbreak\x01"}, 1,
                                         ImageUsage{});
  EXPECT_NE(ev.find("\"revised_prompt\":\"line\\nbreak\\u0001\""), std::string::npos);
  EXPECT_EQ(ev.find('\n'), std::string("event: image_generation.completed").size());
  EXPECT_EQ(ev.size() - ev.rfind("\n\n"), 2u); // one event, no stray newlines in data
  EXPECT_EQ(std::count(ev.begin(), ev.end(), '\n'), 3);
}
