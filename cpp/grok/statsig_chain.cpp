// The x-statsig-id fallback chain (see statsig_chain.h).
#include "grok/statsig_chain.h"

#include "core/bytes.h"

namespace g2a::grok {

const char *statsig_source_name(StatsigSource s) {
  switch (s) {
  case StatsigSource::None:
    return "";
  case StatsigSource::Manual:
    return "manual";
  case StatsigSource::Local:
    return "local";
  case StatsigSource::Rescrape:
    return "rescrape";
  case StatsigSource::LastGood:
    return "last_good";
  case StatsigSource::Fallback:
    return "fallback";
  case StatsigSource::Failed:
    return "failed";
  }
  return "";
}

bool StatsigMaterial::usable() const {
  if (key.empty()) return false;
  auto seed = base64_decode(seed_b64);
  return seed && seed->size() == 48;
}

std::string StatsigChain::failure_message(std::string_view why) const {
  std::string m = "could not create x-statsig-id";
  if (!why.empty()) m += ": " + std::string(why);
  m += in_.manual_mode ? "; set statsig_manual (a value copied from a browser) or statsig_fallback"
                       : "; set statsig_fallback or statsig_manual (a value copied from a "
                         "browser), or statsig_seed and statsig_key";
  return m;
}

StatsigPlan StatsigChain::next(long long now_ms) {
  StatsigPlan p;
  std::string why;
  if (in_.manual_mode) {
    if (!in_.manual.empty() && !manual_refused_) {
      p.what = StatsigPlan::Do::Use;
      p.source = StatsigSource::Manual;
      p.value = in_.manual;
      return last_ = p;
    }
    why = in_.manual.empty() ? "statsig_mode is manual but statsig_manual is empty"
                             : "Grok refused the statsig_manual value";
  } else {
    bool current_ok = in_.current.usable() && !current_stale_;
    // An anti-bot refusal of a generated value is retried with the fixed fallback when one is
    // configured (peers saw fixed values accepted where generated ones were refused), else
    // with a fresh value from the same material.
    bool prefer_fallback = antibot_refusals_ > 0 && !in_.fallback.empty() && !fallback_refused_;
    if (current_ok && !prefer_fallback) {
      p.what = StatsigPlan::Do::Generate;
      p.source = current_from_scrape_ ? StatsigSource::Rescrape : StatsigSource::Local;
      p.material = in_.current;
      return last_ = p;
    }
    if (!current_ok && !scraped_) {
      bool throttled = in_.scrape_failed_at_ms > 0 &&
                       now_ms - in_.scrape_failed_at_ms < in_.refresh_interval_ms &&
                       now_ms >= in_.scrape_failed_at_ms;
      if (!throttled) {
        p.what = StatsigPlan::Do::Scrape;
        p.source = StatsigSource::Rescrape;
        return last_ = p;
      }
    }
    if (!current_ok) {
      if (in_.last_good.usable() && !last_good_stale_ && !(in_.last_good == in_.current) &&
          !prefer_fallback) {
        p.what = StatsigPlan::Do::Generate;
        p.source = StatsigSource::LastGood;
        p.material = in_.last_good;
        return last_ = p;
      }
    }
    if (!stale_why_.empty()) why = stale_why_;
    if (!in_.scrape_failure.empty()) {
      if (!why.empty()) why += "; ";
      why += in_.scrape_failure;
      long long wait_s = (in_.scrape_failed_at_ms + in_.refresh_interval_ms - now_ms + 999) / 1000;
      if (wait_s > 0) why += " (the page is fetched again in " + std::to_string(wait_s) + " s)";
    }
    if (why.empty()) why = "no statsig material (statsig_seed and statsig_key are empty)";
  }
  if (!in_.fallback.empty() && !fallback_refused_) {
    p.what = StatsigPlan::Do::Use;
    p.source = StatsigSource::Fallback;
    p.value = in_.fallback;
    return last_ = p;
  }
  if (fallback_refused_) why += "; Grok refused the statsig_fallback value too";
  p.what = StatsigPlan::Do::Fail;
  p.source = StatsigSource::Failed;
  p.error = failure_message(why);
  return last_ = p;
}

void StatsigChain::scraped(const std::optional<StatsigMaterial> &m, std::string_view why,
                           long long now_ms) {
  scraped_ = true;
  if (m && m->usable()) {
    in_.current = *m;
    current_from_scrape_ = true;
    current_stale_ = false;
    in_.scrape_failed_at_ms = 0;
    in_.scrape_failure.clear();
    return;
  }
  in_.scrape_failed_at_ms = now_ms;
  in_.scrape_failure = why.empty() ? "the Grok home page had no statsig material" : why;
}

void StatsigChain::refused(bool outdated) {
  switch (last_.source) {
  case StatsigSource::Manual:
    manual_refused_ = true;
    break;
  case StatsigSource::Fallback:
    fallback_refused_ = true;
    break;
  case StatsigSource::Local:
  case StatsigSource::Rescrape:
    if (outdated) {
      current_stale_ = true;
      if (in_.last_good == in_.current) last_good_stale_ = true;
      stale_why_ = "Grok refused the statsig material as out of date";
    } else {
      ++antibot_refusals_;
    }
    break;
  case StatsigSource::LastGood:
    if (outdated) {
      last_good_stale_ = true;
      if (stale_why_.empty()) stale_why_ = "Grok refused the last working statsig material";
    } else {
      ++antibot_refusals_;
    }
    break;
  default:
    break;
  }
}

std::optional<StatsigMaterial> StatsigChain::accepted() {
  if (last_.what != StatsigPlan::Do::Generate) return std::nullopt;
  if (last_.material == in_.last_good) return std::nullopt;
  in_.last_good = last_.material;
  return last_.material;
}

} // namespace g2a::grok
