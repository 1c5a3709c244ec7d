// Anthropic Messages rendering (mapping and contract in messages_renderer.h). The stream's hot
// path (text and thinking deltas) writes a precomputed frame head, the escaped text and a
// constant tail; nlohmann/json builds only the rare events and the non-stream body.
#include "anthropic/messages_renderer.h"

#include "anthropic/thinking_signature.h"
#include "http/error_dialect.h"
#include "openai/json_escape.h"

namespace g2a::anthropic {
namespace {

using openai::append_json_escaped;
using openai::append_json_string;

constexpr size_t kCitedTextMax = 150;

// The last `max` bytes of s (trimmed), starting on a UTF-8 character boundary.
std::string tail_text(std::string_view s, size_t max) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t'))
    s.remove_suffix(1);
  if (s.size() > max) s.remove_prefix(s.size() - max);
  while (!s.empty() && (static_cast<unsigned char>(s.front()) & 0xC0) == 0x80) s.remove_prefix(1);
  return std::string(s);
}

// A URL as a markdown link target (no spaces, parentheses or line breaks).
std::string md_url(std::string_view url) {
  std::string s;
  for (char c : url) {
    if (c == ' ')
      s += "%20";
    else if (c == '(')
      s += "%28";
    else if (c == ')')
      s += "%29";
    else if (c != '\n' && c != '\r')
      s += c;
  }
  return s;
}

json citation_json(const std::string &url, const std::string &title, const std::string &cited) {
  return json{{"type", "web_search_result_location"},
              {"cited_text", cited},
              {"url", url},
              {"title", title},
              {"encrypted_index", ""}};
}

json usage_json(long long input, long long output) {
  return json{{"input_tokens", input},
              {"cache_creation_input_tokens", 0},
              {"cache_read_input_tokens", 0},
              {"output_tokens", output}};
}

} // namespace

const char *stop_reason_name(answer::StopReason r) {
  switch (r) {
  case answer::StopReason::Length:
    return "max_tokens";
  case answer::StopReason::ToolCalls:
    return "tool_use";
  case answer::StopReason::ContentFilter:
    return "refusal";
  case answer::StopReason::Stop:
    break;
  }
  return "end_turn";
}

MessagesRenderer::MessagesRenderer(MessagesRenderOptions opt, bool stream)
    : opt_(std::move(opt)), stream_(stream) {}

std::string_view MessagesRenderer::content_type() const {
  return stream_ ? "text/event-stream; charset=utf-8" : "application/json";
}

void MessagesRenderer::event(std::string_view name, std::string_view data) {
  out_ += "event: ";
  out_ += name;
  out_ += "\ndata: ";
  out_ += data;
  out_ += "\n\n";
}

void MessagesRenderer::begin() {
  if (begun_ || ended_) return;
  begun_ = true;
  if (!stream_) return;
  json message{{"id", opt_.id},
               {"type", "message"},
               {"role", "assistant"},
               {"model", opt_.model},
               {"content", json::array()},
               {"stop_reason", nullptr},
               {"stop_sequence", nullptr},
               {"usage", usage_json(opt_.input_tokens, 0)}};
  event("message_start", dump(json{{"type", "message_start"}, {"message", std::move(message)}}));
  event("ping", R"({"type":"ping"})");
}

void MessagesRenderer::flush_delta() {
  if (delta_.empty() || !block_open_) {
    delta_.clear();
    return;
  }
  if (stream_) {
    const Block &b = blocks_.back();
    out_ += "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":";
    out_ += std::to_string(blocks_.size() - 1);
    out_ += b.kind == Kind::Text ? ",\"delta\":{\"type\":\"text_delta\",\"text\":\""
                                 : ",\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"";
    append_json_escaped(out_, delta_);
    out_ += "\"}}\n\n";
  }
  delta_.clear();
}

void MessagesRenderer::open(Kind kind) {
  if (block_open_ && blocks_.back().kind == kind) return;
  close();
  begin();
  blocks_.push_back(Block{kind, {}, {}, {}, 0, {}, {}});
  block_open_ = true;
  if (!stream_) return;
  std::string data = "{\"type\":\"content_block_start\",\"index\":";
  data += std::to_string(blocks_.size() - 1);
  data += kind == Kind::Text ? ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"
                             : ",\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\","
                               "\"signature\":\"\"}}";
  event("content_block_start", data);
}

void MessagesRenderer::close() {
  if (!block_open_) return;
  flush_delta();
  Block &b = blocks_.back();
  size_t index = blocks_.size() - 1;
  if (b.kind == Kind::Thinking) {
    b.signature = sign_thinking(opt_.signing_key, b.text);
    if (stream_) {
      std::string data = "{\"type\":\"content_block_delta\",\"index\":" + std::to_string(index) +
                         ",\"delta\":{\"type\":\"signature_delta\",\"signature\":";
      append_json_string(data, b.signature);
      data += "}}";
      event("content_block_delta", data);
    }
  }
  block_open_ = false;
  if (stream_)
    event("content_block_stop",
          "{\"type\":\"content_block_stop\",\"index\":" + std::to_string(index) + "}");
}

void MessagesRenderer::flush() {
  if (ended_) return;
  flush_delta();
}

void MessagesRenderer::emit_text(std::string_view s) {
  if (s.empty()) return;
  open(Kind::Text);
  blocks_.back().text += s;
  content_ += s;
  text_tokens_.add(s);
  delta_ += s;
}

void MessagesRenderer::text(std::string_view s) {
  if (s.empty() || stopped_) return;
  output_ = true;
  if (opt_.stop_sequences.empty()) {
    emit_text(s);
    return;
  }
  std::string buf = std::move(held_);
  held_.clear();
  buf += s;
  // The earliest match wins (the longest sequence at the same place).
  size_t at = std::string::npos;
  const std::string *hit = nullptr;
  for (const auto &seq : opt_.stop_sequences) {
    size_t p = buf.find(seq);
    if (p != std::string::npos && (p < at || (p == at && seq.size() > hit->size()))) {
      at = p;
      hit = &seq;
    }
  }
  if (hit) {
    emit_text(std::string_view(buf).substr(0, at));
    stopped_ = true;
    stop_sequence_ = *hit;
    return;
  }
  // Hold back the longest tail that could begin a sequence.
  size_t hold = 0;
  for (const auto &seq : opt_.stop_sequences) {
    size_t n = std::min(seq.size() - 1, buf.size());
    for (; n > hold; --n)
      if (buf.compare(buf.size() - n, n, seq, 0, n) == 0) break;
    if (n > hold) hold = n;
  }
  emit_text(std::string_view(buf).substr(0, buf.size() - hold));
  held_ = buf.substr(buf.size() - hold);
}

void MessagesRenderer::thinking(std::string_view s) {
  if (s.empty() || stopped_) return;
  reasoning_tokens_.add(s);
  if (!opt_.thinking) return;
  output_ = true;
  open(Kind::Thinking);
  blocks_.back().text += s;
  delta_ += s;
}

void MessagesRenderer::citation(std::string_view marker, std::string url, std::string title) {
  if (stopped_) return;
  open(Kind::Text);
  Block &b = blocks_.back();
  std::string cited = tail_text(std::string_view(b.text).substr(b.cited_upto), kCitedTextMax);
  text(marker);
  if (stopped_) return; // the marker ran into a stop sequence: the cite is not shown either
  if (title.empty())
    for (const auto &[u, t] : sources_)
      if (u == url) title = t;
  if (title.empty()) title = url;
  open(Kind::Text); // (still the same block: text() only opens text)
  Block &cur = blocks_.back();
  cur.cited_upto = cur.text.size();
  if (stream_) {
    flush_delta();
    json data{
        {"type", "content_block_delta"},
        {"index", blocks_.size() - 1},
        {"delta", {{"type", "citations_delta"}, {"citation", citation_json(url, title, cited)}}}};
    event("content_block_delta", dump(data));
  }
  cur.citations.push_back({std::move(url), std::move(title), std::move(cited)});
}

bool MessagesRenderer::first_time(const std::string &key) {
  for (const auto &k : media_seen_)
    if (k == key) return false;
  media_seen_.push_back(key);
  return true;
}

void MessagesRenderer::tool_use(const answer::Event &ev) {
  if (stopped_) return;
  if (!held_.empty()) {
    std::string rest = std::move(held_);
    held_.clear();
    emit_text(rest);
  }
  close();
  begin();
  Block b{Kind::ToolUse, ev.text, {}, {}, 0, ev.id, ev.title};
  blocks_.push_back(std::move(b));
  output_ = true;
  text_tokens_.add(ev.title);
  text_tokens_.add(ev.text);
  if (!stream_) return;
  std::string index = std::to_string(blocks_.size() - 1);
  std::string data = "{\"type\":\"content_block_start\",\"index\":" + index +
                     ",\"content_block\":{\"type\":\"tool_use\",\"id\":";
  append_json_string(data, ev.id);
  data += ",\"name\":";
  append_json_string(data, ev.title);
  data += ",\"input\":{}}}";
  event("content_block_start", data);
  data = "{\"type\":\"content_block_delta\",\"index\":" + index +
         ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":";
  append_json_string(data, ev.text);
  data += "}}";
  event("content_block_delta", data);
  event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
}

void MessagesRenderer::on_event(answer::Event &&ev) {
  if (ended_) return;
  using K = answer::Event::Kind;
  switch (ev.kind) {
  case K::Text:
    text(ev.text);
    break;
  case K::Reasoning:
    thinking(ev.text);
    break;
  case K::Citation:
    if (ev.url.empty() || ev.text.empty())
      text(ev.text);
    else
      citation(ev.text, std::move(ev.url), std::move(ev.title));
    break;
  case K::Source: {
    if (ev.url.empty()) break;
    bool seen = false;
    for (const auto &s : sources_) seen = seen || s.first == ev.url;
    if (!seen) sources_.emplace_back(std::move(ev.url), std::move(ev.title));
    break;
  }
  case K::Image: {
    bool final = !ev.url.empty() && (ev.progress >= 100 || ev.progress < 0);
    if (ev.moderated || !final || !first_time(ev.id.empty() ? ev.url : ev.id)) break;
    text("\n![image](" + md_url(ev.url) + ")\n");
    break;
  }
  case K::Video:
    if (ev.url.empty() || !first_time(ev.id.empty() ? ev.url : ev.id)) break;
    text("\n[video](" + md_url(ev.url) + ")\n");
    break;
  case K::ToolCall:
    tool_use(ev);
    break;
  case K::Meta:
  case K::Error:
  case K::Done:
    break;
  }
}

void MessagesRenderer::finish(answer::StopReason reason) {
  if (ended_) return;
  begin();
  if (!stopped_ && !held_.empty()) {
    std::string rest = std::move(held_);
    held_.clear();
    emit_text(rest);
  }
  close();
  stop_reason_ = stopped_ ? "stop_sequence" : stop_reason_name(reason);
  ended_ = true;
  if (!stream_) return;
  answer::Usage u = usage();
  json delta{{"stop_reason", stop_reason_},
             {"stop_sequence", stopped_ ? json(stop_sequence_) : json(nullptr)}};
  event("message_delta", dump(json{{"type", "message_delta"},
                                   {"delta", std::move(delta)},
                                   {"usage", usage_json(u.prompt, u.completion)}}));
  event("message_stop", R"({"type":"message_stop"})");
}

void MessagesRenderer::fail(const ApiError &e) {
  if (ended_) return;
  ended_ = true;
  if (!stream_) return;
  begin();
  flush_delta();
  out_ += error_sse_event(e, ErrorDialect::Anthropic, opt_.request_id);
}

answer::Usage MessagesRenderer::usage() const {
  answer::Usage u;
  u.prompt = opt_.input_tokens;
  u.reasoning = reasoning_tokens_.total();
  u.completion = text_tokens_.total() + u.reasoning;
  return u;
}

void MessagesRenderer::keepalive() {
  if (stream_ && begun_ && !ended_) out_ += "event: ping\ndata: {\"type\":\"ping\"}\n\n";
}

std::string MessagesRenderer::body() const {
  json content = json::array();
  for (const auto &b : blocks_) {
    if (b.kind == Kind::Thinking) {
      content.push_back(
          json{{"type", "thinking"}, {"thinking", b.text}, {"signature", b.signature}});
      continue;
    }
    if (b.kind == Kind::ToolUse) {
      auto input = parse_json(b.text);
      content.push_back(json{{"type", "tool_use"},
                             {"id", b.id},
                             {"name", b.name},
                             {"input", input && input->is_object() ? *input : json::object()}});
      continue;
    }
    json block{{"type", "text"}, {"text", b.text}};
    if (!b.citations.empty()) {
      json list = json::array();
      for (const auto &c : b.citations) list.push_back(citation_json(c.url, c.title, c.cited_text));
      block["citations"] = std::move(list);
    }
    content.push_back(std::move(block));
  }
  answer::Usage u = usage();
  json body{{"id", opt_.id},
            {"type", "message"},
            {"role", "assistant"},
            {"model", opt_.model},
            {"content", std::move(content)},
            {"stop_reason", stop_reason_},
            {"stop_sequence", stopped_ ? json(stop_sequence_) : json(nullptr)},
            {"usage", usage_json(u.prompt, u.completion)}};
  return dump(body);
}

} // namespace g2a::anthropic
