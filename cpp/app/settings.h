// Runtime settings kept in D1 (table `settings`, one JSON value per key): the catalogue of
// every setting (type, bounds, default, whether it is a secret, what it does), validation of
// values, and the merged view a request reads. Unknown stored keys are ignored; invalid
// stored values fall back to the default. A few rows hold state the core remembers between
// requests (kStateKeys); they are kept apart from the settings and never shown by the admin.
#pragma once

#include "core/context.h"
#include "core/json.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace g2a::app {

enum class SettingType { Int, Bool, String, Enum, Url, IntList };

struct SettingSpec {
  std::string_view key;
  SettingType type;
  std::string_view default_json; // JSON text of the default value
  long long min = 0, max = 0;    // Int bounds; String/Url: max length (0 = 4096)
  std::string_view choices;      // Enum: '|'-separated values
  bool secret = false;           // write-only: shown masked, never returned
  std::string_view description;
  // A further check of the value beyond its type (e.g. the model map's rules); an error
  // message naming the problem, or nullopt.
  std::optional<std::string> (*check)(const json &value) = nullptr;
};

// State rows in the settings table (not settings: not in the catalogue, not in the admin).
inline constexpr std::string_view kStatsigScrapeFailure = "statsig_scrape_failure"; // {at, why}
inline constexpr std::string_view kStatsigLastGood = "statsig_last_good";           // {seed, key}

std::span<const SettingSpec> setting_specs();
const SettingSpec *find_setting(std::string_view key);
// Checks a value for a key; returns an error message naming the problem, or nullopt.
std::optional<std::string> validate_setting(const SettingSpec &spec, const json &value);

class Settings {
public:
  Settings(); // all defaults
  // Applies stored rows ({key, value-as-JSON-text}); bad or unknown entries are skipped.
  void apply_rows(const json &rows);
  bool set(std::string_view key, const json &value); // validated

  long long integer(std::string_view key) const;
  bool flag(std::string_view key) const;
  std::string text(std::string_view key) const;
  std::vector<long long> int_list(std::string_view key) const;
  const json &raw(std::string_view key) const;
  bool is_default(std::string_view key) const;
  // A state row's JSON value (null when absent).
  const json &state(std::string_view key) const;

private:
  json values_; // key -> value, defaults merged
  json stored_; // keys that came from D1
  json state_;  // state rows (kStatsigScrapeFailure, kStatsigLastGood)
};

Settings settings_from_rows(const json &rows);
Task<Settings> load_settings(Ctx &cx);
fx::Stmt settings_select();
fx::Stmt settings_upsert(std::string_view key, const json &value, long long now_ms);
fx::Stmt settings_delete(std::string_view key);

} // namespace g2a::app
