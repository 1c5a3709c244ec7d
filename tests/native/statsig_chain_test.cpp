// The x-statsig-id fallback chain (grok/statsig_chain.h): every step (manual, local, rescrape,
// the remembered failed scrape, last_good, fallback, failed), how refusals move it on, the
// honest local error beside Grok's own 403 code 7 answers (distinct code and message), the
// page scrape's reasons, and the shape facts of real values: 94 base64 characters (70 bytes),
// bound to the request's method and path.
#include "app/failure_map.h"
#include "app/grok_config.h"
#include "app/statsig_flow.h"
#include "core/bytes.h"
#include "core/sha256.h"
#include "grok/statsig.h"
#include "grok/statsig_chain.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace g2a;
using namespace g2a::grok;
using Do = StatsigPlan::Do;

namespace {

// The fake upstream's material (tests/fake-grok/defaults.mjs).
constexpr const char *kSeed = "QBDA1lToImAMyVsfR7yIZxjs89fCnrwsyew5u9p/JvkmIBZ9ei03tNI85VtfQW7y";
constexpr const char *kKey = "069d602b851eb851eb860fd70a3d70a3d70fd70a3d70a3d702b851eb851eb8600";
constexpr const char *kOtherSeed =
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v";
constexpr long long kNow = 1767225600000LL;
constexpr long long kMinute = 60000;

StatsigMaterial good() {
  return {kSeed, kKey};
}
StatsigMaterial older() {
  return {kOtherSeed, "abc123"};
}

std::string read_fixture(const char *name) {
  std::ifstream in(std::string(G2A_FIXTURES) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace

TEST(StatsigChain, SourceNames) {
  EXPECT_STREQ(statsig_source_name(StatsigSource::Manual), "manual");
  EXPECT_STREQ(statsig_source_name(StatsigSource::Local), "local");
  EXPECT_STREQ(statsig_source_name(StatsigSource::Rescrape), "rescrape");
  EXPECT_STREQ(statsig_source_name(StatsigSource::LastGood), "last_good");
  EXPECT_STREQ(statsig_source_name(StatsigSource::Fallback), "fallback");
  EXPECT_STREQ(statsig_source_name(StatsigSource::Failed), "failed");
  EXPECT_STREQ(statsig_source_name(StatsigSource::None), "");
}

TEST(StatsigChain, MaterialUsableNeedsA48ByteSeedAndAKey) {
  EXPECT_TRUE(good().usable());
  EXPECT_FALSE((StatsigMaterial{kSeed, ""}).usable());
  EXPECT_FALSE((StatsigMaterial{"QUJD", kKey}).usable()); // 3 bytes
  EXPECT_FALSE((StatsigMaterial{"not base64!", kKey}).usable());
}

TEST(StatsigChain, LocalGeneratesFromTheStoredMaterial) {
  StatsigChain c({.current = good()});
  StatsigPlan p = c.next(kNow);
  EXPECT_EQ(p.what, Do::Generate);
  EXPECT_EQ(p.source, StatsigSource::Local);
  EXPECT_EQ(p.material, good());
  EXPECT_EQ(c.last_source(), StatsigSource::Local);
}

TEST(StatsigChain, ManualUsesTheFixedValue) {
  StatsigChain c({.manual_mode = true, .manual = "MANUAL", .current = good()});
  StatsigPlan p = c.next(kNow);
  EXPECT_EQ(p.what, Do::Use);
  EXPECT_EQ(p.source, StatsigSource::Manual);
  EXPECT_EQ(p.value, "MANUAL");
}

TEST(StatsigChain, ManualWithoutAValueFailsHonestlyOrUsesTheFallback) {
  StatsigChain empty({.manual_mode = true});
  StatsigPlan p = empty.next(kNow);
  EXPECT_EQ(p.what, Do::Fail);
  EXPECT_NE(p.error.find("statsig_manual is empty"), std::string::npos) << p.error;
  StatsigChain with_fallback({.manual_mode = true, .fallback = "FALLBACK"});
  p = with_fallback.next(kNow);
  EXPECT_EQ(p.what, Do::Use);
  EXPECT_EQ(p.source, StatsigSource::Fallback);
}

TEST(StatsigChain, MissingMaterialIsRescrapedOnceAndTheScrapedMaterialUsed) {
  StatsigChain c({.current = {}});
  StatsigPlan p = c.next(kNow);
  EXPECT_EQ(p.what, Do::Scrape);
  EXPECT_EQ(p.source, StatsigSource::Rescrape);
  c.scraped(good(), "", kNow);
  p = c.next(kNow);
  EXPECT_EQ(p.what, Do::Generate);
  EXPECT_EQ(p.source, StatsigSource::Rescrape); // named for where the material came from
  EXPECT_EQ(p.material, good());
  EXPECT_EQ(c.inputs().scrape_failed_at_ms, 0);
}

TEST(StatsigChain, AFailedScrapeIsRememberedForTheIntervalNotRetriedPerRequest) {
  StatsigChain c({.refresh_interval_ms = 10 * kMinute});
  ASSERT_EQ(c.next(kNow).what, Do::Scrape);
  c.scraped(std::nullopt, "the Grok home page had no curves table", kNow);
  // Same request: no second scrape; nothing else configured → the honest error.
  StatsigPlan p = c.next(kNow);
  EXPECT_EQ(p.what, Do::Fail);
  EXPECT_NE(p.error.find("no curves table"), std::string::npos) << p.error;
  EXPECT_EQ(c.inputs().scrape_failed_at_ms, kNow);

  // A later request within the interval starts from the remembered failure: no scrape.
  StatsigInputs later = c.inputs();
  StatsigChain c2(later);
  p = c2.next(kNow + 5 * kMinute);
  EXPECT_EQ(p.what, Do::Fail);
  EXPECT_NE(p.error.find("no curves table"), std::string::npos);
  EXPECT_NE(p.error.find("fetched again in 300 s"), std::string::npos) << p.error;
  // Once the interval has passed, the page is fetched again.
  StatsigChain c3(later);
  EXPECT_EQ(c3.next(kNow + 10 * kMinute).what, Do::Scrape);
  // A clock behind the remembered failure does not block the scrape forever.
  StatsigChain c4(later);
  EXPECT_EQ(c4.next(kNow - kMinute).what, Do::Scrape);
}

TEST(StatsigChain, LastGoodMaterialAfterAFailedScrape) {
  StatsigChain c({.current = {}, .last_good = older()});
  ASSERT_EQ(c.next(kNow).what, Do::Scrape);
  c.scraped(std::nullopt, "the Grok home page had no curves table", kNow);
  StatsigPlan p = c.next(kNow);
  EXPECT_EQ(p.what, Do::Generate);
  EXPECT_EQ(p.source, StatsigSource::LastGood);
  EXPECT_EQ(p.material, older());
}

TEST(StatsigChain, FallbackValueWhenNothingElseIsLeft) {
  StatsigChain c({.fallback = "FIXED72",
                  .scrape_failed_at_ms = kNow - kMinute,
                  .scrape_failure = "the Grok home page had no curves table"});
  StatsigPlan p = c.next(kNow); // throttled: no scrape, no last_good
  EXPECT_EQ(p.what, Do::Use);
  EXPECT_EQ(p.source, StatsigSource::Fallback);
  EXPECT_EQ(p.value, "FIXED72");
  // Grok refused it too: the honest error says so.
  c.refused(false);
  p = c.next(kNow);
  EXPECT_EQ(p.what, Do::Fail);
  EXPECT_NE(p.error.find("refused the statsig_fallback value"), std::string::npos) << p.error;
}

TEST(StatsigChain, OutdatedMaterialIsRescrapedThenLastGoodThenFallback) {
  // Grok says the stored pair is out of date: re-scrape (fails) → the last pair that worked.
  StatsigChain c({.current = good(), .last_good = older(), .fallback = "FIXED"});
  ASSERT_EQ(c.next(kNow).source, StatsigSource::Local);
  c.refused(true);
  ASSERT_EQ(c.next(kNow).what, Do::Scrape);
  c.scraped(std::nullopt, "could not fetch the Grok home page (HTTP 503)", kNow);
  StatsigPlan p = c.next(kNow);
  EXPECT_EQ(p.source, StatsigSource::LastGood);
  EXPECT_EQ(p.material, older());
  // That one is out of date as well: the fallback value.
  c.refused(true);
  p = c.next(kNow);
  EXPECT_EQ(p.source, StatsigSource::Fallback);
  // And with no fallback the error names both causes.
  StatsigChain d({.current = good(), .last_good = good()});
  d.next(kNow);
  d.refused(true);
  ASSERT_EQ(d.next(kNow).what, Do::Scrape);
  d.scraped(std::nullopt, "the Grok home page had no grok-site-verification seed", kNow);
  p = d.next(kNow); // last_good is the refused pair: skipped
  EXPECT_EQ(p.what, Do::Fail);
  EXPECT_NE(p.error.find("out of date"), std::string::npos) << p.error;
  EXPECT_NE(p.error.find("no grok-site-verification seed"), std::string::npos) << p.error;
}

TEST(StatsigChain, AntiBotRefusalPrefersTheFallbackElseAFreshLocalValue) {
  StatsigChain with({.current = good(), .fallback = "FIXED"});
  with.next(kNow);
  with.refused(false);
  EXPECT_EQ(with.next(kNow).source, StatsigSource::Fallback);
  StatsigChain without({.current = good()});
  without.next(kNow);
  without.refused(false);
  StatsigPlan p = without.next(kNow);
  EXPECT_EQ(p.what, Do::Generate);
  EXPECT_EQ(p.source, StatsigSource::Local);
}

TEST(StatsigChain, AcceptedRemembersNewMaterialOnce) {
  StatsigChain c({.current = good(), .last_good = older()});
  c.next(kNow);
  auto m = c.accepted();
  ASSERT_TRUE(m);
  EXPECT_EQ(*m, good());
  c.next(kNow);
  EXPECT_FALSE(c.accepted()); // already the last good one
  StatsigChain fixed({.fallback = "FIXED", .scrape_failed_at_ms = kNow, .scrape_failure = "x"});
  fixed.next(kNow);
  EXPECT_FALSE(fixed.accepted()); // a fixed value is not material
}

// ---- the two error kinds ---------------------------------------------------------------------

TEST(StatsigErrors, LocalFailureAndGrokRefusalAreDistinct) {
  StatsigChain c(
      {.scrape_failed_at_ms = kNow, .scrape_failure = "the Grok home page had no curves table"});
  std::string why = c.next(kNow).error;
  ApiError local = app::upstream_error({answer::Failure::StatsigUnavailable, why});
  EXPECT_EQ(local.status, 503);
  EXPECT_EQ(local.code, "statsig_unavailable");
  EXPECT_EQ(local.message.rfind("could not create x-statsig-id: the Grok home page had no curves "
                                "table",
                                0),
            0u)
      << local.message;
  EXPECT_NE(local.message.find("statsig_fallback"), std::string::npos);
  EXPECT_EQ(local.message.find("rejected"), std::string::npos); // nothing reached Grok
  EXPECT_STREQ(answer::failure_name(answer::Failure::StatsigUnavailable), "statsig_unavailable");

  ApiError grok = app::upstream_error({answer::Failure::AntiBot,
                                       "HTTP 403: {\"error\":{\"code\":7,\"message\":\"Request "
                                       "rejected by anti-bot rules.\"}}"});
  EXPECT_EQ(grok.status, 502);
  EXPECT_EQ(grok.code, "upstream_blocked");
  EXPECT_NE(grok.message.find("Grok rejected the request as automated"), std::string::npos);
  EXPECT_NE(grok.code, local.code);
}

// ---- the page scrape ---------------------------------------------------------------------------

TEST(StatsigPageMaterial, NamesWhatThePageLacks) {
  app::GrokConfig cfg;
  cfg.statsig_indices = {5, 24, 17, 8, 11};
  std::string home = read_fixture("statsig/fake_home.html");
  ASSERT_FALSE(home.empty());
  auto m = app::statsig_material_from_page(cfg, home);
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(m->seed_b64, kSeed);
  EXPECT_EQ(m->key, kKey);

  std::string no_curves =
      std::string("<html><head><meta name=\"grok-site-verification\" content=\"") + kSeed +
      "\"/></head><body>new build</body></html>";
  auto why = [&](std::string_view html) {
    auto r = app::statsig_material_from_page(cfg, html);
    EXPECT_FALSE(r);
    return r ? std::string() : r.error();
  };
  EXPECT_EQ(why(no_curves), "the Grok home page had no curves table");
  EXPECT_EQ(why("<html>404</html>"), "the Grok home page had no grok-site-verification seed");
  cfg.statsig_indices = {1, 2};
  EXPECT_EQ(why(home), "statsig_indices must hold 5 integers");
}

// ---- shape facts of real values
// ------------------------------------------------------------------

TEST(StatsigShape, ValuesAre94Base64CharsBoundToMethodAndPath) {
  auto seed = base64_decode(kSeed);
  ASSERT_TRUE(seed);
  uint32_t t = statsig_time(kNow);
  auto make = [&](std::string_view method, std::string_view path) {
    std::string digest = sha256_digest(statsig_digest_input(method, path, t, kKey));
    return statsig_assemble(*seed, t, digest, 0x42).value_or("");
  };
  std::string created = make("POST", "/rest/app-chat/conversations/new");
  std::string followup = make("POST", "/rest/app-chat/conversations/c-1/responses");
  std::string get = make("GET", "/rest/app-chat/conversations/new");
  for (const auto &v : {created, followup, get}) {
    EXPECT_EQ(v.size(), 94u) << v; // 70 bytes, unpadded
    auto raw = base64_decode(v);
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->size(), 70u);
    EXPECT_TRUE(statsig_looks_valid(v));
  }
  // Same seed, time and random byte: only the path (or method) differs, and so does the value.
  EXPECT_NE(created, followup);
  EXPECT_NE(created, get);
  // The digest a verifier computes for the /responses path does not match the value made for
  // conversations/new: bytes 53..68 (after the XOR) are the path's digest.
  auto plain = base64_decode(created).value_or("");
  ASSERT_EQ(plain.size(), 70u);
  for (size_t i = 1; i < plain.size(); ++i) plain[i] = static_cast<char>(plain[i] ^ plain[0]);
  std::string want_new =
      sha256_digest(statsig_digest_input("POST", "/rest/app-chat/conversations/new", t, kKey))
          .substr(0, 16);
  std::string want_followup =
      sha256_digest(
          statsig_digest_input("POST", "/rest/app-chat/conversations/c-1/responses", t, kKey))
          .substr(0, 16);
  EXPECT_EQ(plain.substr(53, 16), want_new);
  EXPECT_NE(plain.substr(53, 16), want_followup);
}
