// Egress settings (`binding:NAME`) and the binding mark on upstream effects.
#include "app/egress.h"

namespace g2a::app {

bool accepts_binding(std::string_view key) {
  return key == "grok_base_url" || key == "grok_ws_url" || key == "grok_assets_url";
}

std::optional<std::string_view> binding_ref(std::string_view value) {
  if (value.substr(0, kBindingPrefix.size()) != kBindingPrefix) return std::nullopt;
  return value.substr(kBindingPrefix.size());
}

bool valid_binding_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) return false;
  }
  return true;
}

std::optional<std::string> check_binding_value(std::string_view key, std::string_view value) {
  auto name = binding_ref(value);
  if (!name) return std::nullopt;
  if (!accepts_binding(key))
    return std::string(key) + " must be an http(s) URL (only the grok_*_url settings take "
                              "binding:NAME)";
  if (!valid_binding_name(*name))
    return std::string(key) +
           " must be binding:NAME with NAME a Worker binding name (letters, digits and _, not "
           "starting with a digit, at most 64 characters)";
  return std::nullopt;
}

std::string binding_missing_message(const std::string &binding) {
  return "the upstream binding '" + binding +
         "' is not bound to this Worker: declare it in wrangler.toml ([[services]] or "
         "[[vpc_services]] with binding = \"" +
         binding + "\") or change the grok_*_url setting that names it";
}

} // namespace g2a::app
