// Model-id mapping for the Messages API (rules in model_map.h).
#include "app/model_map.h"
#include "core/text.h"

namespace g2a::app {
namespace {

bool pattern_ok(std::string_view p) {
  if (p == "*") return true;
  if (p.empty()) return false;
  for (char c : p)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
          c == ':' || c == '[' || c == ']'))
      return false;
  return true;
}

} // namespace

Result<ModelMap, std::string> parse_model_map(std::string_view text) {
  ModelMap map;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view rule = text::trim(text.substr(0, comma), " ");
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (rule.empty()) continue;
    size_t eq = rule.find('=');
    if (eq == std::string_view::npos)
      return "rule '" + std::string(rule) + "' must read pattern=model";
    std::string pattern = text::lower(text::trim(rule.substr(0, eq), " "));
    std::string_view target = text::trim(rule.substr(eq + 1), " ");
    if (!pattern_ok(pattern))
      return "pattern '" + pattern + "' must be * or letters, digits and . - _ : [ ]";
    const grok::ModelInfo *m = grok::find_model(target);
    if (!m) return "'" + std::string(target) + "' is not a model id";
    if (m->kind != grok::ModelKind::Chat)
      return "'" + std::string(target) + "' is not a chat model";
    map.rules.push_back({std::move(pattern), m});
  }
  return map;
}

const grok::ModelInfo *resolve_model(const ModelMap &map, std::string_view requested) {
  if (const grok::ModelInfo *m = grok::find_model(requested)) return m;
  std::string id = text::lower(requested);
  for (const auto &r : map.rules)
    if (r.pattern == "*" || id.find(r.pattern) != std::string::npos) return r.model;
  return nullptr;
}

const grok::ModelInfo &thinking_model(const grok::ModelInfo &m) {
  if (m.reasoning || m.kind != grok::ModelKind::Chat) return m;
  for (const auto &c : grok::models())
    if (c.kind == grok::ModelKind::Chat && c.reasoning && c.bucket == m.bucket &&
        static_cast<int>(c.tier) <= static_cast<int>(m.tier))
      return c;
  return m;
}

} // namespace g2a::app
