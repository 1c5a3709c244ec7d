// The settings catalogue (app/settings.h) as the admin sees it (pure): each setting with its
// type, bounds, choices, default and current value; secrets are write-only (value null, a
// masked tail, and whether one is set). PUT validation: every key known, every value valid,
// all or nothing; null (or "" for a secret) removes the stored value (back to the default).
#pragma once

#include "admin/call.h"
#include "app/settings.h"
#include "http/api_result.h"

#include <vector>

namespace g2a::admin {

const char *setting_type_name(app::SettingType t);
// "••••" + the last 4 characters (only the dots when shorter than 12), "" when empty.
std::string mask_secret(std::string_view value);
// The GET answer's data array, from the stored rows ({key, value-as-JSON-text}).
json settings_view(const json &rows);

struct SettingsUpdate {
  std::vector<fx::Stmt> stmts;
  json keys = json::array();    // the keys written, in request order
  json cleared = json::array(); // the keys reset to their default
};
ApiResult<SettingsUpdate> settings_update(const json &body, long long now_ms);

} // namespace g2a::admin
