// ResponsesRenderer: output items built from neutral events, written as response.* SSE events or
// kept for one response object (see responses_renderer.h).
#include "openai/responses_renderer.h"
#include "core/text.h"

#include "openai/json_escape.h"

namespace g2a::openai {

namespace {

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
    : opt_(std::move(opt)), stream_(stream) {
  for (const auto &[k, v] : opt_.echo.items()) {
    echo_text_ += ',';
    append_json_string(echo_text_, k);
    echo_text_ += ':';
    echo_text_ += dump(v);
  }
}

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

// ---- JSON writers (the bytes an ordered DOM would dump, without building one) --------------

void ResponsesRenderer::sync(Item &it) {
  if (it.esc_upto >= it.text.size()) return;
  append_json_escaped(it.esc, std::string_view(it.text).substr(it.esc_upto));
  it.esc_upto = it.text.size();
}

std::string ResponsesRenderer::response_text(std::string_view status) {
  std::string o;
  size_t text_bytes = 0;
  for (auto &it : items_) {
    sync(it);
    text_bytes += it.esc.size();
  }
  o.reserve(512 + echo_text_.size() + text_bytes + 256 * items_.size());
  o += "{\"id\":";
  append_json_string(o, opt_.id);
  o += ",\"object\":\"response\",\"created_at\":";
  o += std::to_string(opt_.created_at);
  o += ",\"status\":";
  append_json_string(o, status);
  o += ",\"background\":false,\"error\":";
  o += dump(error_);
  o += status == "incomplete" ? ",\"incomplete_details\":{\"reason\":\"max_output_tokens\"}"
                              : ",\"incomplete_details\":null";
  o += ",\"model\":";
  append_json_string(o, opt_.model);
  o += ",\"output\":[";
  for (size_t i = 0; i < items_.size(); ++i) {
    if (i) o += ',';
    write_item(o, items_[i]);
  }
  o += "],\"usage\":";
  o += status == "in_progress" ? "null" : dump(responses_usage_json(usage()));
  o += echo_text_;
  o += '}';
  return o;
}

void ResponsesRenderer::write_part(std::string &o, const Item &it) {
  o += "{\"type\":\"output_text\",\"text\":\"";
  o += it.esc;
  o += "\",\"annotations\":";
  o += dump(it.annotations);
  o += ",\"logprobs\":[]}";
}

// An item as the response's `output` and output_item.* events show it (`esc` synced).
void ResponsesRenderer::write_item(std::string &o, const Item &it) const {
  const char *status = it.incomplete ? "incomplete" : it.done ? "completed" : "in_progress";
  bool has_text = it.done || !it.text.empty();
  switch (it.type) {
  case ItemType::Reasoning:
    o += "{\"id\":";
    append_json_string(o, it.id);
    o += ",\"type\":\"reasoning\",\"summary\":[";
    if (has_text) {
      o += "{\"type\":\"summary_text\",\"text\":\"";
      o += it.esc;
      o += "\"}";
    }
    o += "]}";
    return;
  case ItemType::Message:
    o += "{\"id\":";
    append_json_string(o, it.id);
    o += ",\"type\":\"message\",\"status\":\"";
    o += status;
    o += "\",\"role\":\"assistant\",\"content\":[";
    if (has_text) write_part(o, it);
    o += "]}";
    return;
  case ItemType::WebSearch:
  case ItemType::FunctionCall:
  case ItemType::CustomCall:
    o += dump(small_item_json(it));
    return;
  }
}

// The items whose JSON is small (no long text): a web search, a call (its arguments or input).
json ResponsesRenderer::small_item_json(const Item &it) const {
  const char *status = it.incomplete ? "incomplete" : it.done ? "completed" : "in_progress";
  switch (it.type) {
  case ItemType::FunctionCall:
    return json{{"id", it.id},           {"type", "function_call"}, {"status", status},
                {"call_id", it.call_id}, {"name", it.name},         {"arguments", it.text}};
  case ItemType::CustomCall:
    return json{{"id", it.id},      {"type", "custom_tool_call"},
                {"status", status}, {"call_id", it.call_id},
                {"name", it.name},  {"input", it.text}};
  default:
    break;
  }
  json sources = json::array();
  for (const auto &[url, title] : it.sources) sources.push_back({{"type", "url"}, {"url", url}});
  return json{{"id", it.id},
              {"type", "web_search_call"},
              {"status", status},
              {"action", {{"type", "search"}, {"sources", std::move(sources)}}}};
}

// ---- stream writing ------------------------------------------------------------------------

void ResponsesRenderer::open_event(const char *type) {
  out_ += "event: ";
  out_ += type;
  out_ += "\ndata: {\"type\":\"";
  out_ += type;
  out_ += "\",\"sequence_number\":";
  out_ += std::to_string(seq_++);
}

void ResponsesRenderer::close_event() {
  out_ += "}\n\n";
}

void ResponsesRenderer::emit(const char *type, json fields) {
  if (!stream_) return;
  open_event(type);
  for (const auto &[k, v] : fields.items()) {
    out_ += ',';
    append_json_string(out_, k);
    out_ += ':';
    out_ += dump(v);
  }
  close_event();
}

void ResponsesRenderer::begin() {
  if (begun_ || !stream_) return;
  begun_ = true;
  std::string r = response_text("in_progress");
  for (const char *type : {"response.created", "response.in_progress"}) {
    open_event(type);
    out_ += ",\"response\":";
    out_ += r;
    close_event();
  }
}

// The coalesced delta of the open item, written as one event (the hot path: no DOM). The
// escaped delta also extends the item's escaped text, so the closing events copy it.
void ResponsesRenderer::write_pending() {
  if (pending_.empty() || open_ < 0) return;
  if (stream_) {
    Item &it = items_[open_];
    bool message = it.type == ItemType::Message;
    open_event(message ? "response.output_text.delta" : "response.reasoning_summary_text.delta");
    out_ += ",\"item_id\":";
    append_json_string(out_, it.id);
    out_ += ",\"output_index\":";
    out_ += std::to_string(open_);
    out_ += message ? ",\"content_index\":0,\"delta\":\"" : ",\"summary_index\":0,\"delta\":\"";
    size_t at = out_.size();
    append_json_escaped(out_, pending_);
    if (it.esc_upto + pending_.size() == it.text.size()) { // pending_ is the unescaped tail
      it.esc.append(out_, at, out_.size() - at);
      it.esc_upto = it.text.size();
    }
    out_ += message ? "\",\"logprobs\":[]" : "\"";
    close_event();
  }
  pending_.clear();
}

void ResponsesRenderer::keepalive() {
  if (stream_ && begun_ && !ended_) out_ += ": keep-alive\n\n";
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

// output_item.added / output_item.done for the item at `index`.
void ResponsesRenderer::emit_item(const char *type, int index, Item &it) {
  if (!stream_) return;
  sync(it);
  open_event(type);
  out_ += ",\"output_index\":";
  out_ += std::to_string(index);
  out_ += ",\"item\":";
  write_item(out_, it);
  close_event();
}

// The head every content/summary event shares: ,"item_id":…,"output_index":…
void ResponsesRenderer::item_fields(const Item &it, int index) {
  out_ += ",\"item_id\":";
  append_json_string(out_, it.id);
  out_ += ",\"output_index\":";
  out_ += std::to_string(index);
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
  emit_item("response.output_item.added", open_, cur);
  if (!stream_) return cur;
  if (type == ItemType::Message) {
    open_event("response.content_part.added");
    item_fields(cur, open_);
    out_ += ",\"content_index\":0,\"part\":";
    write_part(out_, cur);
    close_event();
  } else if (type == ItemType::Reasoning) {
    open_event("response.reasoning_summary_part.added");
    item_fields(cur, open_);
    out_ += ",\"summary_index\":0,\"part\":{\"type\":\"summary_text\",\"text\":\"\"}";
    close_event();
  }
  return cur;
}

void ResponsesRenderer::close_open(bool incomplete) {
  if (open_ < 0) return;
  write_pending();
  Item &it = items_[open_];
  it.done = true;
  it.incomplete = incomplete;
  if (stream_ && it.type != ItemType::WebSearch) {
    sync(it);
    bool message = it.type == ItemType::Message;
    open_event(message ? "response.output_text.done" : "response.reasoning_summary_text.done");
    item_fields(it, open_);
    out_ += message ? ",\"content_index\":0,\"text\":\"" : ",\"summary_index\":0,\"text\":\"";
    out_ += it.esc;
    out_ += message ? "\",\"logprobs\":[]" : "\"";
    close_event();
    open_event(message ? "response.content_part.done" : "response.reasoning_summary_part.done");
    item_fields(it, open_);
    if (message) {
      out_ += ",\"content_index\":0,\"part\":";
      write_part(out_, it);
    } else {
      out_ += ",\"summary_index\":0,\"part\":{\"type\":\"summary_text\",\"text\":\"";
      out_ += it.esc;
      out_ += "\"}";
    }
    close_event();
  }
  emit_item("response.output_item.done", open_, it);
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
    emit_item("response.output_item.added", index, pending);
  }
  emit("response.web_search_call.in_progress", {{"item_id", ws.id}, {"output_index", index}});
  emit("response.web_search_call.searching", {{"item_id", ws.id}, {"output_index", index}});
  emit("response.web_search_call.completed", {{"item_id", ws.id}, {"output_index", index}});
  ws.done = true;
  emit_item("response.output_item.done", index, ws);
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
  it.cp += static_cast<long long>(text::code_points(s));
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
  emit_item("response.output_item.added", index, c);
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
  emit_item("response.output_item.done", index, c);
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

void ResponsesRenderer::end(std::string_view status, const char *event) {
  std::string response = response_text(status);
  if (stream_) {
    open_event(event);
    out_ += ",\"response\":";
    out_ += response;
    close_event();
  } else {
    body_ = response;
  }
  if (opt_.final_response) {
    opt_.final_response->status = std::string(status);
    opt_.final_response->json = std::move(response);
  }
  ended_ = true;
}

void ResponsesRenderer::finish(answer::StopReason reason) {
  if (ended_) return;
  begin();
  // A Length stop (max_output_tokens, or a looping answer cut by the quality guard) leaves the
  // response incomplete, as OpenAI reports a cut answer.
  bool incomplete = truncated_ || reason == answer::StopReason::Length;
  close_open(incomplete);
  report_sources();
  end(incomplete ? "incomplete" : "completed",
      incomplete ? "response.incomplete" : "response.completed");
}

void ResponsesRenderer::fail(const ApiError &e) {
  if (ended_) return;
  begin();
  close_open(true);
  error_ = json{{"code", e.code.empty() ? e.type : e.code}, {"message", e.message}};
  end("failed", "response.failed");
}

} // namespace g2a::openai
