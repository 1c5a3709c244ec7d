// Settings views and the validated update.
#include "admin/settings_view.h"

namespace g2a::admin {

using app::SettingType;

const char *setting_type_name(SettingType t) {
  switch (t) {
  case SettingType::Int:
    return "int";
  case SettingType::Bool:
    return "bool";
  case SettingType::String:
    return "string";
  case SettingType::Enum:
    return "enum";
  case SettingType::Url:
    return "url";
  case SettingType::IntList:
    return "int_list";
  }
  return "string";
}

std::string mask_secret(std::string_view v) {
  if (v.empty()) return "";
  std::string dots = "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2"; // ••••
  if (v.size() < 12) return dots;
  std::string_view tail = v.substr(v.size() - 4);
  for (unsigned char c : tail)
    if (c >= 0x80) return dots; // never split a UTF-8 sequence
  return dots + std::string(tail);
}

json settings_view(const json &rows) {
  app::Settings s = app::settings_from_rows(rows);
  json data = json::array();
  for (const auto &spec : app::setting_specs()) {
    std::string key(spec.key);
    json def = parse_json(spec.default_json).value_or(json());
    json choices = nullptr, min = nullptr, max = nullptr;
    if (spec.type == SettingType::Enum) {
      choices = json::array();
      std::string_view c = spec.choices;
      while (!c.empty()) {
        size_t bar = c.find('|');
        choices.push_back(std::string(c.substr(0, bar)));
        if (bar == std::string_view::npos) break;
        c.remove_prefix(bar + 1);
      }
    } else if (spec.type == SettingType::Int || spec.type == SettingType::IntList) {
      min = spec.min;
      max = spec.max;
    } else if (spec.type == SettingType::String || spec.type == SettingType::Url) {
      max = spec.max ? spec.max : 4096; // length limit
    }
    bool stored = !s.is_default(key);
    json entry{{"key", key}, {"type", setting_type_name(spec.type)}};
    if (spec.secret) {
      std::string v = s.text(key);
      entry["value"] = nullptr;
      entry["set"] = stored && !v.empty();
      entry["masked"] = stored ? mask_secret(v) : "";
    } else {
      entry["value"] = s.raw(key);
      entry["set"] = stored;
      entry["masked"] = nullptr;
    }
    entry["default"] = spec.secret ? json(nullptr) : def;
    entry["description"] = std::string(spec.description);
    entry["choices"] = choices;
    entry["min"] = min;
    entry["max"] = max;
    entry["secret"] = spec.secret;
    data.push_back(std::move(entry));
  }
  return data;
}

ApiResult<SettingsUpdate> settings_update(const json &body, long long now_ms) {
  const json &values = jget(body, "values");
  if (!values.is_object() || values.empty())
    return bad_field("values",
                     "Send {\"values\": {\"<key>\": <value>, ...}} with at least one key.");
  for (auto it = body.begin(); it != body.end(); ++it)
    if (it.key() != "values")
      return admin_error(400, "unknown_field", "Unknown field '" + it.key() + "'.", it.key());
  SettingsUpdate up;
  for (auto it = values.begin(); it != values.end(); ++it) {
    const app::SettingSpec *spec = app::find_setting(it.key());
    if (!spec)
      return admin_error(400, "unknown_setting", "Unknown setting '" + it.key() + "'.", it.key());
    const json &v = *it;
    bool clear = v.is_null() || (spec->secret && v.is_string() && v.get<std::string>().empty());
    if (clear) {
      up.stmts.push_back({"DELETE FROM settings WHERE key = ?1", json::array({it.key()})});
      up.cleared.push_back(it.key());
    } else {
      if (auto why = app::validate_setting(*spec, v))
        return admin_error(400, "invalid_setting", *why, it.key());
      up.stmts.push_back(app::settings_upsert(it.key(), v, now_ms));
    }
    up.keys.push_back(it.key());
  }
  return up;
}

} // namespace g2a::admin
