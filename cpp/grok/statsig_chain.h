// Where one request's x-statsig-id comes from: a pure fallback chain, walked one plan at a time.
//   local     – generated from the stored seed + animation key
//   rescrape  – the material was missing or refused as out of date: re-derived from the home
//               page, at most once per refresh interval (a failed scrape is remembered for the
//               interval, so a page without the material costs one fetch per interval, not one
//               per request)
//   last_good – the last material a Grok REST call accepted
//   fallback  – the configured fixed value (statsig_fallback)
//   manual    – statsig_mode=manual: the fixed statsig_manual value
//   failed    – none of the above: an honest local error, distinct from Grok's own 403 code 7
// The caller (app/statsig_flow) runs what a plan asks (a SHA-256, a page fetch) and tells the
// chain what happened (scraped, refused, accepted). Nothing here does I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace g2a::grok {

enum class StatsigSource { None, Manual, Local, Rescrape, LastGood, Fallback, Failed };
// "manual", "local", "rescrape", "last_good", "fallback", "failed" ("" for None).
const char *statsig_source_name(StatsigSource s);

struct StatsigMaterial {
  std::string seed_b64; // base64 of the 48-byte grok-site-verification seed
  std::string key;      // the animation key paired with it
  bool usable() const;  // the seed decodes to 48 bytes and the key is not empty
  bool operator==(const StatsigMaterial &o) const { return seed_b64 == o.seed_b64 && key == o.key; }
};

// What a request knows when it starts (settings and the remembered state rows).
struct StatsigInputs {
  bool manual_mode = false;
  std::string manual;                // statsig_manual
  StatsigMaterial current;           // statsig_seed + statsig_key
  StatsigMaterial last_good;         // the last material Grok accepted
  std::string fallback;              // statsig_fallback
  long long scrape_failed_at_ms = 0; // 0: no failed scrape remembered
  std::string scrape_failure;        // why it failed
  long long refresh_interval_ms = 600000;
};

struct StatsigPlan {
  enum class Do { Generate, Scrape, Use, Fail };
  Do what = Do::Fail;
  StatsigSource source = StatsigSource::None;
  StatsigMaterial material; // Generate: the material to sign with
  std::string value;        // Use: the fixed header value
  std::string error;        // Fail: the honest message (names the settings that fix it)
};

class StatsigChain {
public:
  StatsigChain() = default;
  explicit StatsigChain(StatsigInputs in) : in_(std::move(in)) {}

  // The next thing to do for a header value. Scrape is never planned twice in one request,
  // nor within the refresh interval of a remembered failed scrape.
  StatsigPlan next(long long now_ms);
  // The result of a Scrape plan: the page's material, or why there was none.
  void scraped(const std::optional<StatsigMaterial> &m, std::string_view why, long long now_ms);
  // Grok refused the last value (403 code 7): `outdated` for "page is out of date". The next
  // plan moves past what was refused (an outdated material is not signed with again).
  void refused(bool outdated);
  // Grok accepted the last value. When it was generated from material other than the
  // remembered last_good, that material is returned (the caller stores it as the new one).
  std::optional<StatsigMaterial> accepted();

  StatsigSource last_source() const { return last_.source; }
  const StatsigInputs &inputs() const { return in_; }

private:
  StatsigInputs in_;
  StatsigPlan last_;
  bool scraped_ = false; // a scrape ran in this request
  bool current_from_scrape_ = false;
  bool current_stale_ = false; // refused as out of date
  bool last_good_stale_ = false;
  bool fallback_refused_ = false;
  bool manual_refused_ = false;
  int antibot_refusals_ = 0;
  std::string stale_why_;

  std::string failure_message(std::string_view why) const;
};

} // namespace g2a::grok
