// Events -> assistant message pieces (mapping documented in chat_assembler.h).
#include "openai/chat_assembler.h"
#include "core/text.h"

namespace g2a::openai {
namespace {

constexpr std::string_view kThinkOpen = "<think>\n";
constexpr std::string_view kThinkClose = "\n</think>\n\n"; // "\n" skipped after a line end

// A URL as a markdown link target: no spaces, parentheses or line breaks to end it early.
std::string md_url(std::string_view url) {
  std::string s;
  s.reserve(url.size());
  for (char c : url) {
    switch (c) {
    case ' ':
      s += "%20";
      break;
    case '(':
      s += "%28";
      break;
    case ')':
      s += "%29";
      break;
    case '\n':
    case '\r':
      break;
    default:
      s += c;
    }
  }
  return s;
}

// Link text: brackets escaped, line breaks flattened.
std::string md_text(std::string_view text) {
  std::string s;
  s.reserve(text.size());
  for (char c : text) {
    if (c == '[' || c == ']' || c == '\\') s += '\\';
    s += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return s;
}

std::string html_attr(std::string_view v) {
  std::string s;
  s.reserve(v.size());
  for (char c : v) {
    switch (c) {
    case '&':
      s += "&amp;";
      break;
    case '"':
      s += "&quot;";
      break;
    case '<':
      s += "&lt;";
      break;
    case '>':
      s += "&gt;";
      break;
    default:
      s += c;
    }
  }
  return s;
}

} // namespace

json annotation_json(const Annotation &a) {
  return json{
      {"type", "url_citation"},
      {"url_citation",
       {{"url", a.url}, {"title", a.title}, {"start_index", a.start}, {"end_index", a.end}}}};
}

ChatAssembler::ChatAssembler(ChatRenderOptions opt) : opt_(std::move(opt)) {}

void ChatAssembler::raw_content(std::string_view s) {
  if (s.empty()) return;
  content_ += s;
  content_tokens_.add(s);
  content_cp_ += static_cast<long long>(text::code_points(s));
  output_ = true;
  put_content(s);
}

long long ChatAssembler::content(std::string_view s) {
  if (think_open_) {
    think_open_ = false;
    raw_content(think_close());
  }
  long long start = content_cp_;
  raw_content(s);
  return start;
}

void ChatAssembler::reasoning(std::string_view s) {
  if (s.empty()) return;
  reasoning_ += s;
  reasoning_tokens_.add(s);
  switch (opt_.reasoning) {
  case ReasoningOutput::Content:
    output_ = true;
    put_reasoning(s);
    break;
  case ReasoningOutput::ThinkTags:
    if (!think_open_) {
      raw_content(kThinkOpen);
      think_open_ = true;
    }
    raw_content(s);
    break;
  case ReasoningOutput::Hidden:
    break;
  }
}

std::string_view ChatAssembler::think_close() const {
  return !content_.empty() && content_.back() == '\n' ? kThinkClose.substr(1) : kThinkClose;
}

bool ChatAssembler::first_time(const std::string &key) {
  for (const auto &k : media_seen_)
    if (k == key) return false;
  media_seen_.push_back(key);
  return true;
}

void ChatAssembler::on_event(answer::Event &&ev) {
  using K = answer::Event::Kind;
  switch (ev.kind) {
  case K::Text:
    content(ev.text);
    break;
  case K::Reasoning:
    reasoning(ev.text);
    break;
  case K::Citation: {
    // No link, or no text to hang it on: plain text. (An empty span made the JSON body carry
    // an annotation the stream could not: chat_render_fuzz.)
    if (ev.url.empty() || ev.text.empty()) {
      content(ev.text);
      break;
    }
    long long start = content(ev.text);
    Annotation a{ev.url, ev.title.empty() ? ev.url : ev.title, start, content_cp_};
    put_annotation(a);
    break;
  }
  case K::Source: {
    if (ev.url.empty()) break;
    bool seen = false;
    for (const auto &s : sources_) seen = seen || s.first == ev.url;
    if (!seen) sources_.emplace_back(ev.url, ev.title);
    break;
  }
  case K::Image: {
    bool final = !ev.url.empty() && (ev.progress >= 100 || ev.progress < 0);
    if (ev.moderated || !final || !first_time(ev.id.empty() ? ev.url : ev.id)) break;
    content("\n![image](" + md_url(ev.url) + ")\n");
    break;
  }
  case K::Video: {
    const std::string &key = ev.id.empty() ? ev.url : ev.id;
    if (!ev.url.empty()) {
      if (!first_time(key)) break;
      if (opt_.video_html) {
        std::string tag = "\n<video src=\"" + html_attr(ev.url) + "\"";
        if (!ev.thumb.empty()) tag += " poster=\"" + html_attr(ev.thumb) + "\"";
        tag += " controls></video>\n";
        content(tag);
      } else {
        content("\n[video](" + md_url(ev.url) + ")\n");
      }
      break;
    }
    if (ev.progress < 0) break;
    int pct = ev.progress > 100 ? 100 : ev.progress;
    int *last = nullptr;
    for (auto &vp : video_progress_)
      if (vp.first == key) last = &vp.second;
    if (last && pct <= *last) break;
    if (last)
      *last = pct;
    else
      video_progress_.emplace_back(key, pct);
    bool own_line = reasoning_.empty() || reasoning_.back() == '\n';
    reasoning((own_line ? "" : "\n") + std::string("Generating video: ") + std::to_string(pct) +
              "%\n");
    break;
  }
  case K::ToolCall: {
    tool_calls_.push_back({ev.id, ev.title, ev.text});
    content_tokens_.add(ev.title);
    content_tokens_.add(ev.text);
    output_ = true;
    put_tool_call(tool_calls_.size() - 1, tool_calls_.back());
    break;
  }
  case K::Meta:
  case K::Error:
  case K::Done:
    break;
  }
}

std::string ChatAssembler::closing_content() const {
  if (closed_) return {};
  std::string s;
  if (think_open_) s += think_close();
  if (opt_.sources_list && !sources_.empty()) {
    s += "\n\nSources:\n";
    int i = 0;
    for (const auto &[url, title] : sources_) {
      s += std::to_string(++i) + ". [" + md_text(title.empty() ? url : title) + "](" + md_url(url) +
           ")\n";
    }
  }
  return s;
}

void ChatAssembler::close_message() {
  std::string tail = closing_content();
  closed_ = true;
  think_open_ = false;
  raw_content(tail);
}

Usage ChatAssembler::usage() const {
  Usage u;
  u.prompt = opt_.prompt_tokens;
  u.reasoning = reasoning_tokens_.total();
  long long visible = content_tokens_.total() + estimate_tokens(closing_content());
  if (opt_.reasoning == ReasoningOutput::ThinkTags)
    u.completion = visible > u.reasoning ? visible : u.reasoning; // content holds the reasoning
  else
    u.completion = visible + u.reasoning;
  return u;
}

} // namespace g2a::openai
