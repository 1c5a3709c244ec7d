// Structured output: the JSON object cut from the answer (see json_output.h).
#include "tools/json_output.h"

namespace g2a::tools {

std::optional<std::string> extract_json_object(std::string_view text,
                                               std::string_view schema_json) {
  Arguments r = extract_json(text, schema_json);
  if (!r.ok) return std::nullopt;
  return r.json;
}

ApiError invalid_structured_output(std::string_view problem) {
  return ApiError{.status = 502,
                  .type = "server_error",
                  .message =
                      "The model's answer could not be turned into JSON that matches the strict "
                      "response schema (" +
                      std::string(problem) +
                      "), so no answer is returned. Retrying the request may succeed.",
                  .code = "invalid_structured_output"};
}

Arguments extract_json(std::string_view text, std::string_view schema_json) {
  size_t a = text.find('{');
  if (a == std::string_view::npos) {
    Arguments none;
    none.error = "no JSON object in the answer";
    return none;
  }
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
  constexpr std::string_view kArgs = "the arguments are ";
  if (!r.ok && r.error.compare(0, kArgs.size(), kArgs) == 0)
    r.error = "the answer's JSON is " + r.error.substr(kArgs.size());
  return r;
}

JsonOutputRenderer::JsonOutputRenderer(std::unique_ptr<answer::Renderer> inner,
                                       answer::OutputFormat format)
    : inner_(std::move(inner)), format_(std::move(format)) {}

void JsonOutputRenderer::on_event(answer::Event &&ev) {
  if (ev.kind == answer::Event::Kind::Text) {
    held_ += ev.text;
    result_.reset();
    return;
  }
  if (ev.kind == answer::Event::Kind::ToolCall) called_ = true;
  inner_->on_event(std::move(ev));
}

const Arguments &JsonOutputRenderer::settle() {
  if (!result_)
    result_ = extract_json(held_, format_.type == answer::OutputFormat::Type::JsonSchema
                                      ? std::string_view(format_.schema)
                                      : std::string_view());
  return *result_;
}

std::string JsonOutputRenderer::output_problem() {
  if (!strict() || finished_ || called_) return inner_->output_problem();
  const Arguments &r = settle();
  if (r.ok) return inner_->output_problem();
  std::string name = format_.name.empty() ? "" : " '" + format_.name + "'";
  return "schema" + name + ": " + r.error;
}

void JsonOutputRenderer::finish(answer::StopReason reason) {
  finished_ = true;
  if (!held_.empty()) {
    const Arguments &r = settle();
    answer::Event ev;
    ev.kind = answer::Event::Kind::Text;
    ev.text = r.ok ? r.json : std::move(held_);
    held_.clear();
    result_.reset();
    inner_->on_event(std::move(ev));
  }
  inner_->finish(reason);
}

} // namespace g2a::tools
