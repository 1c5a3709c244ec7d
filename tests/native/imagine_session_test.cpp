// Imagine WebSocket session (grok/imagine_session.h): the frames sent, and the decoding of the
// frames tests/fake-grok/imagine.mjs and the references describe (start_stage json, image
// progress with base64 blobs, completed json with moderation, error frames, other request ids,
// camelCase spellings, early close).
#include "grok/imagine_session.h"
#include "grok_event_json.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::grok;
using namespace g2a::test;

namespace {

constexpr long long kT0 = 1700000000000LL;

struct Harness {
  Collect sink;
  std::vector<std::string> sent;
  ImagineSession session;

  explicit Harness(ImagineRequest req)
      : session(
            sink, [this](std::string f) { sent.push_back(std::move(f)); }, std::move(req)) {
    session.start(kT0);
  }
  void feed(const json &frame) { session.on_frame(dump(frame)); }
  void raw(std::string_view frame) { session.on_frame(frame); }
};

ImagineRequest request(int n = 1) {
  ImagineRequest r;
  r.prompt = "a red fox";
  r.request_id = "rid-1";
  r.aspect_ratio = "16:9";
  r.n = n;
  return r;
}

// The frames imagine.mjs sends for one image slot.
json start_stage(const char *id, int order) {
  return {{"type", "json"},        {"current_status", "start_stage"},
          {"request_id", "rid-1"}, {"image_id", id},
          {"order", order},        {"width", 1280},
          {"height", 720}};
}
json image(const char *id, int pct, const char *blob, const char *status = "generating") {
  return {{"type", "image"},
          {"request_id", "rid-1"},
          {"image_id", id},
          {"order", 0},
          {"url", std::string("https://imagine-public.x.ai/imagine-public/images/") + id + ".jpg"},
          {"blob", blob},
          {"percentage_complete", pct},
          {"current_status", status},
          {"side_by_side_index", 0},
          {"width", 1280},
          {"height", 720}};
}
json completed(const char *id, bool moderated = false) {
  return {
      {"type", "json"}, {"current_status", "completed"}, {"request_id", "rid-1"}, {"image_id", id},
      {"order", 0},     {"moderated", moderated},        {"r_rated", false}};
}

} // namespace

TEST(ImagineFrames, ResetThenRequest) {
  ImagineRequest r = request(3);
  r.pro = true;
  r.nsfw = false;
  Harness run(r);
  ASSERT_EQ(run.sent.size(), 2u);
  EXPECT_EQ(run.sent[0], R"({"type":"conversation.item.create","timestamp":1700000000000,)"
                         R"("item":{"type":"message","content":[{"type":"reset"}]}})");
  EXPECT_EQ(run.sent[1],
            R"({"type":"conversation.item.create","timestamp":1700000000000,"item":{"type":)"
            R"("message","content":[{"requestId":"rid-1","text":"a red fox","type":"input_text",)"
            R"("properties":{"section_count":0,"is_kids_mode":false,"enable_nsfw":false,)"
            R"("skip_upsampler":false,"enable_side_by_side":true,"is_initial":false,)"
            R"("aspect_ratio":"16:9","enable_pro":true,"num_generations":3}}]}})");
  EXPECT_EQ(run.session.state(), ImagineSession::State::Generating);
  run.session.start(kT0 + 5); // idempotent
  EXPECT_EQ(run.sent.size(), 2u);
}

TEST(ImagineFrames, GenerationsClamped) {
  ImagineRequest r = request(50);
  auto j = parse_json(imagine_request_frame(r, 1));
  EXPECT_EQ(jget(*j, "item", "content", 0, "properties", "num_generations"), 8);
  r.n = 0;
  j = parse_json(imagine_request_frame(r, 1));
  EXPECT_EQ(jget(*j, "item", "content", 0, "properties", "num_generations"), 1);
}

TEST(ImagineSession, FakeUpstreamTwoImages) {
  Harness run(request(2));
  run.feed(start_stage("i1", 0));
  run.feed(start_stage("i2", 1));
  run.feed(image("i1", 40, "UFJFVklFVzE="));
  run.feed(image("i2", 40, "UFJFVklFVzI="));
  EXPECT_FALSE(run.session.done());
  run.feed(image("i1", 100, "RklOQUwx", "completed"));
  run.feed(completed("i1"));
  run.feed(image("i2", 100, "RklOQUwy", "completed"));
  EXPECT_TRUE(run.session.done());
  run.feed(completed("i2")); // after Done: ignored
  EXPECT_EQ(run.session.state(), ImagineSession::State::Done);
  EXPECT_EQ(run.session.images_completed(), 2);
  const std::string u = "https://imagine-public.x.ai/imagine-public/images/";
  EXPECT_EQ(run.sink.events, json::parse(R"([
    {"kind":"image","text":"UFJFVklFVzE=","id":"i1","url":")" +
                                         u + R"(i1.jpg","progress":40},
    {"kind":"image","text":"UFJFVklFVzI=","id":"i2","url":")" +
                                         u + R"(i2.jpg","progress":40},
    {"kind":"image","text":"RklOQUwx","id":"i1","url":")" +
                                         u + R"(i1.jpg","progress":100},
    {"kind":"image","text":"RklOQUwy","id":"i2","url":")" +
                                         u + R"(i2.jpg","progress":100},
    {"kind":"done"}])"));
}

TEST(ImagineSession, FinalWaitsForCompletedJsonWithoutStatus) {
  // A 100% frame without a completed status is held until the json frame says how it ended.
  Harness run(request(1));
  json f = image("i1", 100, "RklOQUw=");
  f.erase("current_status");
  run.feed(f);
  EXPECT_EQ(run.sink.events.size(), 0u);
  run.feed(completed("i1"));
  ASSERT_EQ(run.sink.events.size(), 2u);
  EXPECT_EQ(run.sink.events[0]["text"], "RklOQUw=");
  EXPECT_EQ(run.sink.events[0]["progress"], 100);
  EXPECT_EQ(run.sink.events[1]["kind"], "done");
}

TEST(ImagineSession, ModeratedSlot) {
  Harness run(request(2));
  run.feed(image("i1", 40, "QQ=="));
  run.feed(image("i2", 40, "Qg=="));
  run.feed(image("i1", 100, "RklOQUw=", "completed"));
  run.feed(completed("i1"));
  run.feed(completed("i2", true));
  EXPECT_EQ(run.session.images_completed(), 1);
  EXPECT_EQ(run.session.slots_moderated(), 1);
  ASSERT_EQ(run.sink.events.size(), 5u);
  EXPECT_EQ(run.sink.events[3],
            json({{"kind", "image"}, {"id", "i2"}, {"progress", 100}, {"moderated", true}}));
  EXPECT_EQ(run.sink.events[4]["kind"], "done");
}

TEST(ImagineSession, AllModeratedIsAModerationError) {
  Harness run(request(1));
  run.feed(image("i1", 40, "QQ=="));
  run.feed(completed("i1", true));
  // imagine.mjs then sends an error frame: ignored, the session already failed.
  run.feed(json{{"type", "error"},
                {"request_id", "rid-1"},
                {"err_code", "content_moderated"},
                {"err_msg", "Content moderated"}});
  ASSERT_EQ(run.sink.events.size(), 3u);
  EXPECT_EQ(run.sink.events[1]["moderated"], true);
  EXPECT_EQ(run.sink.events[2]["kind"], "error");
  EXPECT_EQ(run.sink.events[2]["failure"], "moderated");
  EXPECT_EQ(run.session.state(), ImagineSession::State::Failed);
}

TEST(ImagineSession, ErrorFrames) {
  {
    Harness run(request(1));
    run.feed(json{{"type", "error"},
                  {"request_id", "rid-1"},
                  {"err_code", "rate_limit_exceeded"},
                  {"err_msg", "Image rate limit exceeded"}});
    ASSERT_EQ(run.sink.events.size(), 1u);
    EXPECT_EQ(run.sink.events[0], json({{"kind", "error"},
                                        {"text", "Image rate limit exceeded"},
                                        {"ref", "rate_limit_exceeded"},
                                        {"failure", "rate_limited"}}));
    EXPECT_TRUE(run.session.done());
  }
  {
    Harness run(request(1));
    run.raw(R"({"type":"error","errCode":"content_moderated","errMessage":"Content moderated"})");
    ASSERT_EQ(run.sink.events.size(), 1u);
    EXPECT_EQ(run.sink.events[0]["failure"], "moderated");
  }
  {
    Harness run(request(1)); // nested error object, status error
    run.raw(
        R"({"type":"json","current_status":"error","error":{"code":"internal_error","message":"Something went wrong"}})");
    ASSERT_EQ(run.sink.events.size(), 1u);
    EXPECT_EQ(run.sink.events[0]["text"], "Something went wrong");
    EXPECT_EQ(run.sink.events[0]["ref"], "internal_error");
  }
  {
    Harness run(request(1)); // no message at all
    run.raw(R"({"type":"error"})");
    EXPECT_EQ(run.sink.events[0]["text"], "imagine error");
  }
}

TEST(ImagineSession, OtherRequestIdsIgnored) {
  Harness run(request(1));
  json other = image("x1", 100, "T1RIRVI=", "completed");
  other["request_id"] = "rid-0";
  run.feed(other);
  run.feed(json{{"type", "error"}, {"requestId", "rid-0"}, {"err_code", "busy"}});
  EXPECT_EQ(run.sink.events.size(), 0u);
  run.feed(image("i1", 100, "T0s=", "completed"));
  EXPECT_EQ(run.sink.events.size(), 2u);
}

TEST(ImagineSession, CamelCaseRelativeUrlsAndSeedShape) {
  ImagineRequest r = request(1);
  r.assets_base = "http://127.0.0.1:9/"; // the fake upstream's assets host
  Harness run(r);
  // The seed's example shape: id/progress/url, no blob, camelCase fields.
  run.raw(
      R"({"type":"image","requestId":"rid-1","imageId":"img_a","percentageComplete":35.5,"currentStatus":"generating"})");
  run.raw(
      R"({"type":"image","requestId":"rid-1","id":"img_a","progress":100,"currentStatus":"completed","imageUrl":"/users/u1/generated/g1/image.jpg"})");
  EXPECT_EQ(run.sink.events, json::parse(R"([
    {"kind":"image","id":"img_a","progress":35},
    {"kind":"image","id":"img_a","url":"http://127.0.0.1:9/users/u1/generated/g1/image.jpg","progress":100},
    {"kind":"done"}])"));
}

TEST(ImagineSession, CompletedJsonCarriesTheImage) {
  // Some servers put url/blob on the completed json frame only.
  Harness run(request(1));
  run.raw(
      R"({"type":"json","current_status":"completed","image_id":"i1","blob":"QkxPQg==","moderated":false})");
  ASSERT_EQ(run.sink.events.size(), 2u);
  EXPECT_EQ(run.sink.events[0]["text"], "QkxPQg==");
  EXPECT_EQ(run.sink.events[1]["kind"], "done");
}

TEST(ImagineSession, CompletedWithoutImageIsBadResponse) {
  Harness run(request(1));
  run.feed(completed("i1"));
  ASSERT_EQ(run.sink.events.size(), 1u);
  EXPECT_EQ(run.sink.events[0]["failure"], "bad_response");
}

TEST(ImagineSession, CloseBeforeAnyImageIsNetworkError) {
  Harness run(request(2));
  run.feed(start_stage("i1", 0));
  run.feed(image("i1", 40, "QQ=="));
  run.session.on_close();
  ASSERT_EQ(run.sink.events.size(), 2u);
  EXPECT_EQ(run.sink.events[1]["kind"], "error");
  EXPECT_EQ(run.sink.events[1]["failure"], "network");
  run.session.on_close(); // once only
  EXPECT_EQ(run.sink.events.size(), 2u);
}

TEST(ImagineSession, CloseAfterSomeImagesIsDone) {
  Harness run(request(2));
  run.feed(image("i1", 100, "QQ==", "completed"));
  // i2 reached 100% but its completed frame never came: it still counts at close.
  json f = image("i2", 100, "Qg==");
  f.erase("current_status");
  run.feed(f);
  EXPECT_FALSE(run.session.done());
  run.session.on_close();
  EXPECT_EQ(run.session.images_completed(), 2);
  ASSERT_EQ(run.sink.events.size(), 3u);
  EXPECT_EQ(run.sink.events[1]["id"], "i2");
  EXPECT_EQ(run.sink.events[2]["kind"], "done");
}

TEST(ImagineSession, BadFramesAndLifecycle) {
  Collect sink;
  std::vector<std::string> sent;
  ImagineSession s(
      sink, [&](std::string f) { sent.push_back(std::move(f)); }, request(1));
  s.on_frame(dump(image("i1", 100, "QQ==", "completed"))); // before start: ignored
  EXPECT_EQ(sink.events.size(), 0u);
  s.start(kT0);
  s.on_frame("not json");
  s.on_frame("[1,2]");
  s.on_frame(R"({"type":"image"} trailing)");
  s.on_frame("{\"type\":\"image\",\"image_id\":\"\xff\"}");
  EXPECT_EQ(s.bad_frames(), 4u);
  s.on_frame(R"({"type":"image","percentage_complete":40})"); // no image id: ignored
  s.on_frame(R"({"type":"pong"})");
  EXPECT_EQ(sink.events.size(), 0u);
  EXPECT_FALSE(s.done());
}
