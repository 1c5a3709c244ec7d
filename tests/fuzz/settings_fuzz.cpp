// libFuzzer target: settings validation (app/settings.h). The input is JSON text: a value to
// try on every setting, or an array of stored rows. Invariants: validate_setting accepts a
// value exactly when Settings::set does; an accepted value is stored as given, lies within
// the spec's bounds, and survives the D1 round trip (settings_upsert's JSON text read back by
// apply_rows); a refused value leaves the setting as it was; after apply_rows of any rows
// every setting still holds a value its spec accepts; messages name the key.
#include "app/settings.h"
#include "fuzz_util.h"

using namespace g2a;
using namespace g2a::app;

namespace {

// An integer within [min, max], whether nlohmann holds it signed or unsigned.
bool int_within(const json &v, long long min, long long max) {
  if (!v.is_number_integer()) return false;
  if (v.is_number_unsigned()) {
    uint64_t u = v.get<uint64_t>();
    return u <= static_cast<uint64_t>(max) && (min <= 0 || u >= static_cast<uint64_t>(min));
  }
  long long x = v.get<long long>();
  return x >= min && x <= max;
}

void check_bounds(const SettingSpec &spec, const json &v) {
  switch (spec.type) {
  case SettingType::Int:
    FUZZ_CHECK(int_within(v, spec.min, spec.max), dump(v));
    break;
  case SettingType::Bool:
    FUZZ_CHECK(v.is_boolean(), dump(v));
    break;
  case SettingType::Enum: {
    FUZZ_CHECK(v.is_string(), dump(v));
    std::string choices = "|" + std::string(spec.choices) + "|";
    FUZZ_CHECK(choices.find("|" + v.get<std::string>() + "|") != std::string::npos, dump(v));
    break;
  }
  case SettingType::String:
  case SettingType::Url: {
    FUZZ_CHECK(v.is_string(), dump(v));
    const std::string s = v.get<std::string>();
    FUZZ_CHECK(s.size() <= static_cast<size_t>(spec.max ? spec.max : 4096), dump(v));
    for (unsigned char c : s) FUZZ_CHECK(c >= 0x20 && c != 0x7f, dump(v));
    if (spec.type == SettingType::Url && !s.empty()) {
      FUZZ_CHECK(s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0, s);
      // Safe to splice into a header or an HTML attribute, no trailing '/' to double.
      FUZZ_CHECK(s.find_first_of(" \"'<>\\") == std::string::npos && s.back() != '/', s);
    }
    break;
  }
  case SettingType::IntList:
    FUZZ_CHECK(v.is_array() && v.size() == 5, dump(v));
    for (const auto &x : v) FUZZ_CHECK(int_within(x, spec.min, spec.max), dump(v));
    break;
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view in(reinterpret_cast<const char *>(data), size);
  auto v = parse_json(in);
  if (!v) return 0;

  for (const auto &spec : setting_specs()) {
    FUZZ_CHECK(find_setting(spec.key) == &spec, std::string(spec.key));
    Settings s;
    json before = s.raw(spec.key);
    auto err = validate_setting(spec, *v);
    bool ok = s.set(spec.key, *v);
    FUZZ_CHECK(ok == !err, std::string(spec.key) + " " + dump(*v));
    if (err) {
      FUZZ_CHECK(err->find(std::string(spec.key)) != std::string::npos, *err);
      FUZZ_CHECK(s.raw(spec.key) == before && s.is_default(spec.key), *err);
      continue;
    }
    check_bounds(spec, *v);
    FUZZ_CHECK(s.raw(spec.key) == *v, dump(*v));
    fx::Stmt up = settings_upsert(spec.key, *v, 1);
    Settings back;
    back.apply_rows(json::array({{{"key", std::string(spec.key)}, {"value", up.params[1]}}}));
    FUZZ_CHECK(back.raw(spec.key) == *v, dump(up.params));
  }

  Settings rows;
  rows.apply_rows(*v);
  for (const auto &spec : setting_specs())
    FUZZ_CHECK(!validate_setting(spec, rows.raw(spec.key)), std::string(spec.key));
  return 0;
}
