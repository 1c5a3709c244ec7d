// The video job: the state machine (app/video_job_state.h), the plan from OpenAI's fields to
// Grok's settings (app/video_plan.h) and the job's JSON as the openai SDK types it
// (openai/video_render.h).
#include "app/video_job_state.h"
#include "app/video_plan.h"
#include "openai/video_render.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::app;

TEST(VideoJobState, HappyPathQueuedInProgressCompleted) {
  VideoJobState s;
  EXPECT_EQ(s.status, VideoStatus::Queued);
  EXPECT_FALSE(advance(s, 10)); // not started
  EXPECT_FALSE(complete(s, "v", "t", 1));
  EXPECT_TRUE(start(s));
  EXPECT_EQ(s.status, VideoStatus::InProgress);
  EXPECT_TRUE(advance(s, 25));
  EXPECT_FALSE(advance(s, 25)); // not forward
  EXPECT_FALSE(advance(s, 5));  // never backwards
  EXPECT_EQ(s.progress, 25);
  EXPECT_TRUE(advance(s, 100)); // clamped below 100 until complete
  EXPECT_EQ(s.progress, 99);
  EXPECT_TRUE(complete(s, "vid", "thumb", 5000));
  EXPECT_EQ(s.status, VideoStatus::Completed);
  EXPECT_EQ(s.progress, 100);
  EXPECT_EQ(s.video_media, "vid");
  EXPECT_EQ(s.thumb_media, "thumb");
  EXPECT_EQ(s.completed_at, 5000);
  EXPECT_TRUE(is_final(s));
  // Final: nothing moves it any more, and a late failure owes no refund.
  EXPECT_FALSE(start(s));
  EXPECT_FALSE(advance(s, 50));
  EXPECT_FALSE(fail(s, "x", "y", 6000));
  EXPECT_EQ(s.status, VideoStatus::Completed);
  EXPECT_FALSE(s.refunded);
}

TEST(VideoJobState, FailureRefundsOnce) {
  VideoJobState s;
  ASSERT_TRUE(start(s));
  EXPECT_TRUE(fail(s, "video_moderated", "The video was moderated.", 7000));
  EXPECT_EQ(s.status, VideoStatus::Failed);
  EXPECT_TRUE(s.refunded);
  EXPECT_EQ(s.error_code, "video_moderated");
  EXPECT_EQ(s.completed_at, 7000);
  EXPECT_FALSE(fail(s, "again", "again", 8000)); // no second refund
  EXPECT_EQ(s.error_code, "video_moderated");
  EXPECT_FALSE(complete(s, "v", "t", 9000));
}

TEST(VideoJobState, QueuedJobCanFailAndAnUnchargedOneOwesNothing) {
  VideoJobState s;
  EXPECT_TRUE(fail(s, "start_failed", "could not start", 1));
  VideoJobState free_job;
  free_job.charged = false;
  EXPECT_FALSE(fail(free_job, "x", "y", 1));
  EXPECT_EQ(free_job.status, VideoStatus::Failed);
}

TEST(VideoJobState, RestartsAreBounded) {
  VideoJobState s;
  for (int i = 0; i < kMaxRuns; ++i) EXPECT_TRUE(start(s)) << i;
  EXPECT_TRUE(advance(s, 40));
  EXPECT_FALSE(start(s)); // out of runs: the runner fails it
  EXPECT_EQ(s.progress, 40);
  EXPECT_TRUE(fail(s, "interrupted", "the job was interrupted too often", 1));
}

TEST(VideoJobState, StatusNames) {
  for (auto st : {VideoStatus::Queued, VideoStatus::InProgress, VideoStatus::Completed,
                  VideoStatus::Failed}) {
    VideoStatus back;
    ASSERT_TRUE(parse_video_status(video_status_name(st), back));
    EXPECT_EQ(back, st);
  }
  VideoStatus x;
  EXPECT_FALSE(parse_video_status("done", x));
}

TEST(VideoPlan, ModelsMapToGrokVideoModels) {
  auto id = [](std::string_view m) {
    auto r = video_model_for(m);
    return std::holds_alternative<const grok::ModelInfo *>(r)
               ? std::string(std::get<const grok::ModelInfo *>(r)->id)
               : "error:" + std::get<ApiError>(r).code;
  };
  EXPECT_EQ(id(""), "grok-imagine-1.0-video");
  EXPECT_EQ(id("sora-2"), "grok-imagine-1.0-video");
  EXPECT_EQ(id("sora-2-2025-10-06"), "grok-imagine-1.0-video");
  EXPECT_EQ(id("sora-2-pro"), "grok-imagine-video");
  EXPECT_EQ(id("some-future-model"), "grok-imagine-1.0-video");
  EXPECT_EQ(id("grok-imagine-video"), "grok-imagine-video");
  EXPECT_EQ(id("grok-imagine-1.0-video"), "grok-imagine-1.0-video");
  EXPECT_EQ(id("grok-4"), "error:model_not_supported");
  EXPECT_EQ(id("grok-imagine-1.0"), "error:model_not_supported");
}

TEST(VideoPlan, SecondsAndSizeBecomeGrokSettings) {
  auto plan = [](std::string_view m, int s, std::string_view size) {
    auto r = plan_video(m, s, size);
    EXPECT_TRUE(std::holds_alternative<VideoPlan>(r));
    return std::holds_alternative<VideoPlan>(r) ? std::get<VideoPlan>(r) : VideoPlan{};
  };
  // Defaults: OpenAI's 720x1280 and 4 s → 9:16, 6 s; a Basic-tier model makes 480p.
  VideoPlan p = plan("sora-2", 0, "");
  EXPECT_EQ(p.settings.aspect_ratio, "9:16");
  EXPECT_EQ(p.settings.duration_s, 6);
  EXPECT_EQ(p.settings.resolution, "480p");
  EXPECT_EQ(p.size, "480x854");
  EXPECT_EQ(p.seconds, "6");
  // The Super-tier model keeps 720p when asked for it.
  p = plan("sora-2-pro", 8, "1280x720");
  EXPECT_EQ(p.settings.aspect_ratio, "16:9");
  EXPECT_EQ(p.settings.duration_s, 10);
  EXPECT_EQ(p.settings.resolution, "720p");
  EXPECT_EQ(p.size, "1280x720");
  EXPECT_EQ(p.seconds, "10");
  p = plan("grok-imagine-video", 12, "1024x1792");
  EXPECT_EQ(p.settings.aspect_ratio, "9:16");
  EXPECT_EQ(p.settings.duration_s, 15);
  EXPECT_EQ(p.size, "720x1280");
  p = plan("grok-imagine-video", 4, "640x480"); // short side under 720 → 480p, 4:3 → 3:2
  EXPECT_EQ(p.settings.resolution, "480p");
  EXPECT_EQ(p.settings.aspect_ratio, "3:2");
  EXPECT_EQ(p.size, "720x480");
  p = plan("grok-imagine-video", 15, "1000x1000");
  EXPECT_EQ(p.settings.aspect_ratio, "1:1");
  EXPECT_EQ(p.size, "720x720");
  EXPECT_EQ(p.seconds, "15");
  auto bad = plan_video("grok-4", 4, "");
  ASSERT_TRUE(std::holds_alternative<ApiError>(bad));
  EXPECT_EQ(std::get<ApiError>(bad).param, "model");
}

TEST(VideoRender, JobJsonHasEveryFieldOfTheSdkVideoType) {
  openai::VideoObject v;
  v.id = "video_abc";
  v.status = "in_progress";
  v.progress = 40;
  v.model = "grok-imagine-1.0-video";
  v.prompt = "waves";
  v.seconds = "6";
  v.size = "480x854";
  v.created_at_ms = 1767225600123;
  json j = openai::video_json(v);
  EXPECT_EQ(j.dump(),
            R"({"id":"video_abc","object":"video","status":"in_progress","progress":40,)"
            R"("model":"grok-imagine-1.0-video","prompt":"waves","seconds":"6","size":"480x854",)"
            R"("created_at":1767225600,"completed_at":null,"expires_at":null,"error":null,)"
            R"("remixed_from_video_id":null})");
  v.status = "failed";
  v.error_code = "video_moderated";
  v.error_message = "The video was moderated.";
  v.completed_at_ms = 1767225700999;
  v.expires_at_ms = 1767312000000;
  j = openai::video_json(v);
  EXPECT_EQ(j["error"].dump(),
            R"({"code":"video_moderated","message":"The video was moderated."})");
  EXPECT_EQ(j["completed_at"], 1767225700);
  EXPECT_EQ(j["expires_at"], 1767312000);
}

TEST(VideoRender, ListPageAndDeleted) {
  openai::VideoObject a, b;
  a.id = "video_1";
  b.id = "video_2";
  json page = openai::video_list_json({a, b}, true);
  EXPECT_EQ(page["object"], "list");
  EXPECT_EQ(page["data"].size(), 2u);
  EXPECT_EQ(page["first_id"], "video_1");
  EXPECT_EQ(page["last_id"], "video_2");
  EXPECT_EQ(page["has_more"], true);
  json empty = openai::video_list_json({}, false);
  EXPECT_TRUE(empty["first_id"].is_null());
  EXPECT_TRUE(empty["last_id"].is_null());
  EXPECT_EQ(openai::video_deleted_json("video_1").dump(),
            R"({"id":"video_1","object":"video.deleted","deleted":true})");
}
