// Structured output: the JSON object cut from the answer (see json_output.h).
#include "tools/json_output.h"

#include "tools/arguments.h"

namespace g2a::tools {

std::optional<std::string> extract_json_object(std::string_view text,
                                               std::string_view schema_json) {
  size_t a = text.find('{');
  if (a == std::string_view::npos) return std::nullopt;
  // The matching close, strings respected; an object cut short runs to the end (repaired).
  size_t end = text.size();
  int depth = 0;
  bool in_str = false, esc = false;
  for (size_t i = a; i < text.size(); ++i) {
    char c = text[i];
    if (in_str) {
      if (esc)
        esc = false;
      else if (c == '\\')
        esc = true;
      else if (c == '"')
        in_str = false;
      continue;
    }
    if (c == '"')
      in_str = true;
    else if (c == '{' || c == '[')
      ++depth;
    else if ((c == '}' || c == ']') && --depth == 0) {
      end = i + 1;
      break;
    }
  }
  Arguments r = repair_arguments(text.substr(a, end - a), schema_json);
  if (!r.ok) return std::nullopt;
  return r.json;
}

JsonOutputRenderer::JsonOutputRenderer(std::unique_ptr<answer::Renderer> inner,
                                       answer::OutputFormat format)
    : inner_(std::move(inner)), format_(std::move(format)) {}

void JsonOutputRenderer::on_event(answer::Event &&ev) {
  if (ev.kind == answer::Event::Kind::Text) {
    held_ += ev.text;
    return;
  }
  inner_->on_event(std::move(ev));
}

void JsonOutputRenderer::finish(answer::StopReason reason) {
  if (!held_.empty()) {
    auto j = extract_json_object(held_, format_.type == answer::OutputFormat::Type::JsonSchema
                                            ? std::string_view(format_.schema)
                                            : std::string_view());
    answer::Event ev;
    ev.kind = answer::Event::Kind::Text;
    ev.text = j ? std::move(*j) : std::move(held_);
    held_.clear();
    inner_->on_event(std::move(ev));
  }
  inner_->finish(reason);
}

} // namespace g2a::tools
