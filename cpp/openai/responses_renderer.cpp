// ResponsesRenderer: output items built from neutral events, written as response.* SSE events or
// kept for one response object (see responses_renderer.h).
#include "openai/responses_renderer.h"

#include "openai/json_escape.h"

namespace g2a::openai {

namespace {

long long code_points(std::string_view s) {
  long long n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

const char *id_prefix(int type) {
  static const char *prefixes[] = {"rs_", "msg_", "ws_", "fc_", "ctc_"};
  return prefixes[type];
}

} // namespace

json responses_usage_json(const answer::Usage &u) {
  return json{{"input_tokens", u.prompt},
              {"input_tokens_details", {{"cached_tokens", 0}}},
              {"output_tokens", u.completion},
              {"output_tokens_details", {{"reasoning_tokens", u.reasoning}}},
              {"total_tokens", u.prompt + u.completion}};
}

json response_echo(const ResponsesRequest &req) {
  json metadata = json::object();
  for (const auto &[k, v] : req.metadata) metadata[k] = v;
  auto opt_str = [](const std::string &s) { return s.empty() ? json(nullptr) : json(s); };
  json tools = json::array(), tool_choice = "auto";
  if (auto t = parse_json(req.tools_json); t && t->is_array()) tools = std::move(*t);
  if (auto c = parse_json(req.tool_choice_json); c && !c->is_null()) tool_choice = std::move(*c);
  json format = {{"type", "text"}};
  if (auto f = parse_json(req.format_json); f && f->is_object()) format = std::move(*f);
  return json{
      {"instructions", req.has_instructions ? json(req.instructions) : json(nullptr)},
      {"max_output_tokens",
       req.max_output_tokens < 0 ? json(nullptr) : json(req.max_output_tokens)},
      {"metadata", std::move(metadata)},
      {"parallel_tool_calls", req.parallel_tool_calls},
      {"previous_response_id", opt_str(req.previous_response_id)},
      {"reasoning",
       {{"effort", opt_str(req.reasoning_effort)}, {"summary", opt_str(req.reasoning_summary)}}},
      {"store", req.store},
      {"temperature", req.temperature},
      {"text", {{"format", format}}},
      {"tool_choice", tool_choice},
      {"tools", tools},
      {"top_p", req.top_p},
      {"truncation", "disabled"},
      {"user", opt_str(req.user)}};
}

ResponsesRenderer::ResponsesRenderer(ResponsesRenderOptions opt, bool stream)
    : opt_(std::move(opt)), stream_(stream) {}

std::string_view ResponsesRenderer::content_type() const {
  return stream_ ? "text/event-stream; charset=utf-8" : "application/json";
}

answer::Usage ResponsesRenderer::usage() const {
  answer::Usage u;
  u.prompt = opt_.prompt_tokens;
  u.reasoning = reasoning_tokens_.total();
  u.completion = content_tokens_.total() + u.reasoning;
  return u;
}

json ResponsesRenderer::response_json(std::string_view status) const {
  json output = json::array();
  for (const auto &it : items_) output.push_back(item_json(it));
  json r{{"id", opt_.id},
         {"object", "response"},
         {"created_at", opt_.created_at},
         {"status", status},
         {"background", false},
         {"error", error_},
         {"incomplete_details",
          status == "incomplete" ? json{{"reason", "max_output_tokens"}} : json(nullptr)},
         {"model", opt_.model},
         {"output", std::move(output)},
         {"usage", status == "in_progress" ? json(nullptr) : responses_usage_json(usage())}};
  for (const auto &[k, v] : opt_.echo.items()) r[k] = v;
  return r;
}

json ResponsesRenderer::part_json(const Item &it) {
  return json{{"type", "output_text"},
              {"text", it.text},
              {"annotations", it.annotations},
              {"logprobs", json::array()}};
}

json ResponsesRenderer::item_json(const Item &it) const {
  const char *status = it.incomplete ? "incomplete" : it.done ? "completed" : "in_progress";
  switch (it.type) {
  case ItemType::Reasoning: {
    json summary = json::array();
    if (it.done || !it.text.empty())
      summary.push_back({{"type", "summary_text"}, {"text", it.text}});
    return json{{"id", it.id}, {"type", "reasoning"}, {"summary", std::move(summary)}};
  }
  case ItemType::Message: {
    json content = json::array();
    if (it.done || !it.text.empty()) content.push_back(part_json(it));
    return json{{"id", it.id},
                {"type", "message"},
                {"status", status},
                {"role", "assistant"},
                {"content", std::move(content)}};
  }
  case ItemType::FunctionCall:
    return json{{"id", it.id},           {"type", "function_call"}, {"status", status},
                {"call_id", it.call_id}, {"name", it.name},         {"arguments", it.text}};
  case ItemType::CustomCall:
    return json{{"id", it.id},      {"type", "custom_tool_call"},
                {"status", status}, {"call_id", it.call_id},
                {"name", it.name},  {"input", it.text}};
  case ItemType::WebSearch: {
    json sources = json::array();
    for (const auto &[url, title] : it.sources) sources.push_back({{"type", "url"}, {"url", url}});
    return json{{"id", it.id},
                {"type", "web_search_call"},
                {"status", status},
                {"action", {{"type", "search"}, {"sources", std::move(sources)}}}};
  }
  }
  return json::object();
}

// ---- stream writing ------------------------------------------------------------------------

void ResponsesRenderer::emit(const char *type, json fields) {
  if (!stream_) return;
  json ev{{"type", type}, {"sequence_number", seq_++}};
  for (auto &[k, v] : fields.items()) ev[k] = std::move(v);
  out_ += "event: ";
  out_ += type;
  out_ += "\ndata: ";
  out_ += dump(ev);
  out_ += "\n\n";
}

void ResponsesRenderer::begin() {
  if (begun_ || !stream_) return;
  begun_ = true;
  json r = response_json("in_progress");
  emit("response.created", {{"response", r}});
  emit("response.in_progress", {{"response", std::move(r)}});
}

// The coalesced delta of the open item, written as one event (the hot path: no DOM).
void ResponsesRenderer::write_pending() {
  if (pending_.empty() || open_ < 0) return;
  if (stream_) {
    const Item &it = items_[open_];
    const char *type = it.type == ItemType::Message ? "response.output_text.delta"
                                                    : "response.reasoning_summary_text.delta";
    out_ += "event: ";
    out_ += type;
    out_ += "\ndata: {\"type\":\"";
    out_ += type;
    out_ += "\",\"sequence_number\":";
    out_ += std::to_string(seq_++);
    out_ += ",\"item_id\":";
    append_json_string(out_, it.id);
    out_ += ",\"output_index\":";
    out_ += std::to_string(open_);
    out_ += it.type == ItemType::Message ? ",\"content_index\":0,\"delta\":"
                                         : ",\"summary_index\":0,\"delta\":";
    append_json_string(out_, pending_);
    if (it.type == ItemType::Message) out_ += ",\"logprobs\":[]";
    out_ += "}\n\n";
  }
  pending_.clear();
}

void ResponsesRenderer::flush() {
  write_pending();
}

ResponsesRenderer::Item ResponsesRenderer::new_item(ItemType type) const {
  Item it;
  it.type = type;
  it.id = id_prefix(static_cast<int>(type)) + opt_.item_seed + std::to_string(items_.size());
  return it;
}

ResponsesRenderer::Item &ResponsesRenderer::open(ItemType type) {
  if (open_ >= 0 && items_[open_].type == type) return items_[open_];
  close_open(false);
  if (type == ItemType::Message) report_sources();
  begin();
  Item it = new_item(type);
  items_.push_back(std::move(it));
  open_ = static_cast<int>(items_.size() - 1);
  Item &cur = items_.back();
  emit("response.output_item.added", {{"output_index", open_}, {"item", item_json(cur)}});
  if (type == ItemType::Message)
    emit("response.content_part.added", {{"item_id", cur.id},
                                         {"output_index", open_},
                                         {"content_index", 0},
                                         {"part", part_json(cur)}});
  else if (type == ItemType::Reasoning)
    emit("response.reasoning_summary_part.added",
         {{"item_id", cur.id},
          {"output_index", open_},
          {"summary_index", 0},
          {"part", {{"type", "summary_text"}, {"text", ""}}}});
  return cur;
}

void ResponsesRenderer::close_open(bool incomplete) {
  if (open_ < 0) return;
  write_pending();
  Item &it = items_[open_];
  it.done = true;
  it.incomplete = incomplete;
  if (it.type == ItemType::Message) {
    emit("response.output_text.done", {{"item_id", it.id},
                                       {"output_index", open_},
                                       {"content_index", 0},
                                       {"text", it.text},
                                       {"logprobs", json::array()}});
    emit("response.content_part.done", {{"item_id", it.id},
                                        {"output_index", open_},
                                        {"content_index", 0},
                                        {"part", part_json(it)}});
  } else if (it.type == ItemType::Reasoning) {
    emit("response.reasoning_summary_text.done",
         {{"item_id", it.id}, {"output_index", open_}, {"summary_index", 0}, {"text", it.text}});
    emit("response.reasoning_summary_part.done",
         {{"item_id", it.id},
          {"output_index", open_},
          {"summary_index", 0},
          {"part", {{"type", "summary_text"}, {"text", it.text}}}});
  }
  emit("response.output_item.done", {{"output_index", open_}, {"item", item_json(it)}});
  open_ = -1;
}

// The sources not reported yet, as one web_search_call item (added and done at once: the
// search happened upstream before its results arrived).
void ResponsesRenderer::report_sources() {
  if (sources_reported_ >= sources_.size()) return;
  close_open(false);
  begin();
  Item it = new_item(ItemType::WebSearch);
  it.sources.assign(sources_.begin() + static_cast<long>(sources_reported_), sources_.end());
  sources_reported_ = sources_.size();
  items_.push_back(std::move(it));
  int index = static_cast<int>(items_.size() - 1);
  Item &ws = items_.back();
  {
    Item pending = ws;
    pending.sources.clear();
    emit("response.output_item.added", {{"output_index", index}, {"item", item_json(pending)}});
  }
  emit("response.web_search_call.in_progress", {{"item_id", ws.id}, {"output_index", index}});
  emit("response.web_search_call.searching", {{"item_id", ws.id}, {"output_index", index}});
  emit("response.web_search_call.completed", {{"item_id", ws.id}, {"output_index", index}});
  ws.done = true;
  emit("response.output_item.done", {{"output_index", index}, {"item", item_json(ws)}});
}

// ---- events --------------------------------------------------------------------------------

bool ResponsesRenderer::over_limit() {
  if (opt_.max_output_tokens < 0 || truncated_) return truncated_;
  if (content_tokens_.total() + reasoning_tokens_.total() >= opt_.max_output_tokens)
    truncated_ = true;
  return truncated_;
}

void ResponsesRenderer::text(std::string_view s) {
  if (s.empty() || over_limit()) return;
  Item &it = open(ItemType::Message);
  it.text += s;
  it.cp += code_points(s);
  content_ += s;
  pending_ += s;
  content_tokens_.add(s);
  output_ = true;
}

void ResponsesRenderer::reasoning(std::string_view s) {
  if (s.empty() || over_limit()) return;
  reasoning_tokens_.add(s);
  if (!opt_.show_reasoning) return;
  Item &it = open(ItemType::Reasoning);
  it.text += s;
  pending_ += s;
  output_ = true;
}

void ResponsesRenderer::tool_call(const answer::Event &ev) {
  close_open(false);
  report_sources();
  begin();
  bool custom = ev.ref == "custom";
  Item it = new_item(custom ? ItemType::CustomCall : ItemType::FunctionCall);
  it.call_id = ev.id;
  it.name = ev.title;
  items_.push_back(std::move(it));
  int index = static_cast<int>(items_.size() - 1);
  Item &c = items_.back();
  emit("response.output_item.added", {{"output_index", index}, {"item", item_json(c)}});
  c.text = ev.text;
  if (custom) {
    emit("response.custom_tool_call_input.delta",
         {{"item_id", c.id}, {"output_index", index}, {"delta", c.text}});
    emit("response.custom_tool_call_input.done",
         {{"item_id", c.id}, {"output_index", index}, {"input", c.text}});
  } else {
    emit("response.function_call_arguments.delta",
         {{"item_id", c.id}, {"output_index", index}, {"delta", c.text}});
    emit("response.function_call_arguments.done",
         {{"item_id", c.id}, {"output_index", index}, {"name", c.name}, {"arguments", c.text}});
  }
  c.done = true;
  emit("response.output_item.done", {{"output_index", index}, {"item", item_json(c)}});
  content_tokens_.add(ev.title);
  content_tokens_.add(ev.text);
  output_ = true;
}

void ResponsesRenderer::on_event(answer::Event &&ev) {
  if (ended_) return;
  using K = answer::Event::Kind;
  switch (ev.kind) {
  case K::Text:
    text(ev.text);
    return;
  case K::Reasoning:
    reasoning(ev.text);
    return;
  case K::Citation: {
    if (ev.text.empty() || over_limit()) return;
    long long start = open(ItemType::Message).cp;
    text(ev.text);
    Item &it = items_[open_];
    write_pending();
    json a{{"type", "url_citation"},
           {"url", ev.url},
           {"title", ev.title},
           {"start_index", start},
           {"end_index", it.cp}};
    it.annotations.push_back(a);
    emit("response.output_text.annotation.added", {{"item_id", it.id},
                                                   {"output_index", open_},
                                                   {"content_index", 0},
                                                   {"annotation_index", it.annotations.size() - 1},
                                                   {"annotation", std::move(a)}});
    return;
  }
  case K::Source:
    if (ev.url.empty()) return;
    for (const auto &s : sources_)
      if (s.first == ev.url) return;
    sources_.emplace_back(ev.url, ev.title);
    return;
  case K::Image:
  case K::Video: {
    bool final = !ev.url.empty() && !ev.moderated &&
                 (ev.kind == K::Video || ev.progress < 0 || ev.progress >= 100);
    if (!final) return;
    const std::string &key = ev.id.empty() ? ev.url : ev.id;
    for (const auto &seen : media_seen_)
      if (seen == key) return;
    media_seen_.push_back(key);
    text(ev.kind == K::Image ? "\n![image](" + ev.url + ")\n" : "\n[video](" + ev.url + ")\n");
    return;
  }
  case K::ToolCall:
    tool_call(ev);
    return;
  case K::Meta:
  case K::Error:
  case K::Done:
    return;
  }
}

// ---- endings -------------------------------------------------------------------------------

void ResponsesRenderer::end(json response, const char *event) {
  if (opt_.final_response) *opt_.final_response = response;
  if (stream_)
    emit(event, {{"response", std::move(response)}});
  else
    body_ = dump(response);
  ended_ = true;
}

void ResponsesRenderer::finish(answer::StopReason) {
  if (ended_) return;
  begin();
  close_open(truncated_);
  report_sources();
  bool incomplete = truncated_;
  end(response_json(incomplete ? "incomplete" : "completed"),
      incomplete ? "response.incomplete" : "response.completed");
}

void ResponsesRenderer::fail(const ApiError &e) {
  if (ended_) return;
  begin();
  close_open(true);
  error_ = json{{"code", e.code.empty() ? e.type : e.code}, {"message", e.message}};
  end(response_json("failed"), "response.failed");
}

} // namespace g2a::openai
