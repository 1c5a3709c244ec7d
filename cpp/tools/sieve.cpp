// The streaming tool-call sieve (states and accepted shapes in sieve.h).
#include "tools/sieve.h"

#include "core/json.h"
#include "core/text.h"
#include "tools/arguments.h"

#include <algorithm>
#include <cctype>

namespace g2a::tools {
namespace {

using text::trim;

constexpr std::string_view kCall = "<tool_call";
constexpr std::string_view kCalls = "<tool_calls";
constexpr std::string_view kClose = "</tool_call>";
constexpr std::string_view kCloseAll = "</tool_calls>";
constexpr std::string_view kResult = "<tool_result";
constexpr std::string_view kFence = "```";

bool tag_end(char c) {
  return c == ' ' || c == '>' || c == '\n' || c == '\t' || c == '\r' || c == '/';
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

// Need / Yes / No for a call marker at the start of `r` (<tool_call… or <tool_calls…).
int call_marker(std::string_view r) {
  if (r.size() <= kCall.size()) return starts_with(kCall, r) ? 0 : -1;
  if (!starts_with(r, kCall)) return -1;
  char c = r[kCall.size()];
  if (tag_end(c)) return 1;
  if (c != 's') return -1;
  if (r.size() <= kCalls.size()) return 0;
  return tag_end(r[kCalls.size()]) ? 1 : -1;
}

// The value of attribute `key` in a tag's attribute text ("" when absent).
std::string attribute(std::string_view tag, std::string_view key) {
  size_t from = 0;
  while (true) {
    size_t k = tag.find(key, from);
    if (k == std::string_view::npos) return {};
    from = k + 1;
    if (k > 0 && !(tag[k - 1] == ' ' || tag[k - 1] == '\t' || tag[k - 1] == '\n')) continue;
    size_t i = k + key.size();
    while (i < tag.size() && tag[i] == ' ') ++i;
    if (i >= tag.size() || tag[i] != '=') continue;
    ++i;
    while (i < tag.size() && tag[i] == ' ') ++i;
    if (i >= tag.size()) return {};
    char q = tag[i];
    if (q == '"' || q == '\'') {
      size_t e = tag.find(q, i + 1);
      if (e == std::string_view::npos) return {};
      return std::string(tag.substr(i + 1, e - i - 1));
    }
    size_t e = i;
    while (e < tag.size() && !tag_end(tag[e])) ++e;
    return std::string(tag.substr(i, e - i));
  }
}

// The text of the first <name>…</name> element in `body`; false when there is none.
bool element(std::string_view body, std::string_view name, std::string_view &out) {
  std::string open = "<" + std::string(name) + ">";
  std::string close = "</" + std::string(name) + ">";
  size_t a = body.find(open);
  if (a == std::string_view::npos) return false;
  a += open.size();
  size_t b = body.find(close, a);
  out = body.substr(a, b == std::string_view::npos ? std::string_view::npos : b - a);
  return true;
}

// An unclosed call's body loses what trails it: a closing fence or wrapper.
std::string_view strip_trailers(std::string_view body) {
  while (true) {
    std::string_view t = trim(body);
    if (t.size() >= kCloseAll.size() && t.substr(t.size() - kCloseAll.size()) == kCloseAll)
      body = t.substr(0, t.size() - kCloseAll.size());
    else if (t.size() >= kFence.size() && t.substr(t.size() - kFence.size()) == kFence)
      body = t.substr(0, t.size() - kFence.size());
    else
      return t;
  }
}

} // namespace

Sieve::Sieve(std::vector<const answer::ToolSpec *> tools, bool parallel)
    : tools_(std::move(tools)), parallel_(parallel) {}

const answer::ToolSpec *Sieve::find(std::string_view name) const {
  for (const auto *t : tools_)
    if (t->name == name) return t;
  return nullptr;
}

void Sieve::text(std::string_view s, std::vector<Piece> &out) {
  if (s.empty()) return;
  if (!out.empty() && out.back().kind == Piece::Kind::Text) {
    out.back().raw += s;
  } else {
    Piece p;
    p.raw.assign(s);
    out.push_back(std::move(p));
  }
  last_ = s.back();
}

bool Sieve::at_line_start(size_t p) const {
  return p == 0 ? last_ == '\n' : buf_[p - 1] == '\n';
}

Sieve::Start Sieve::classify(size_t p, bool line_start) const {
  std::string_view r = std::string_view(buf_).substr(p);
  Start s;
  auto verdict = [](int v) { return v > 0 ? Verdict::Yes : v == 0 ? Verdict::Need : Verdict::No; };
  if (r[0] == '<') {
    if (calls_ > 0) {
      if (r.size() < kResult.size() && starts_with(kResult, r)) {
        s.verdict = Verdict::Need;
        return s;
      }
      if (starts_with(r, kResult)) {
        s.verdict = Verdict::Yes;
        s.result = true;
        return s;
      }
    }
    s.verdict = verdict(call_marker(r));
    return s;
  }
  // '`': a fence at a line start, then (after blank space) a call marker.
  if (!line_start) return s;
  if (r.size() < kFence.size()) {
    s.verdict = starts_with(kFence, r) ? Verdict::Need : Verdict::No;
    return s;
  }
  if (!starts_with(r, kFence)) return s;
  size_t j = kFence.size();
  while (j < r.size() && j < 24 &&
         (std::isalnum(static_cast<unsigned char>(r[j])) || r[j] == '_' || r[j] == '-'))
    ++j;
  if (j == r.size()) {
    s.verdict = j < 24 ? Verdict::Need : Verdict::No;
    return s;
  }
  if (r[j] == '\r') ++j;
  if (j == r.size()) {
    s.verdict = Verdict::Need;
    return s;
  }
  if (r[j] != '\n') return s;
  ++j;
  while (j < r.size() && (r[j] == ' ' || r[j] == '\t' || r[j] == '\n' || r[j] == '\r')) ++j;
  if (j == r.size()) {
    s.verdict = Verdict::Need;
    return s;
  }
  s.verdict = verdict(call_marker(r.substr(j)));
  s.fenced = s.verdict == Verdict::Yes;
  return s;
}

void Sieve::scan(std::vector<Piece> &out) {
  size_t i = 0;
  while (true) {
    size_t p = buf_.find_first_of("<`", i);
    if (p == std::string::npos) break;
    Start s = classify(p, at_line_start(p));
    if (s.verdict == Verdict::No) {
      i = p + 1;
      continue;
    }
    text(std::string_view(buf_).substr(0, p), out);
    buf_.erase(0, p);
    if (s.verdict == Verdict::Need) return;
    state_ = s.result ? State::Tail : State::Block;
    fenced_ = s.fenced;
    scanned_ = 0;
    return;
  }
  text(buf_, out);
  buf_.clear();
}

size_t Sieve::block_end(bool final) const {
  const std::string_view b(buf_);
  const size_t npos = std::string_view::npos;
  // Searches resume a marker's length before where the last one stopped.
  const size_t from = scanned_ > 16 ? scanned_ - 16 : 0;
  size_t end = npos;
  if (fenced_) {
    size_t nl = b.find('\n');
    size_t close = nl == npos ? npos : b.find("\n```", std::max(nl, from));
    if (close != npos) end = close + 4;
  } else if (starts_with(b, kCalls)) {
    size_t close = b.find(kCloseAll, from);
    if (close != npos) end = close + kCloseAll.size();
  } else {
    size_t close = b.find(kClose, from);
    size_t next = b.find(kCall, std::max<size_t>(from, 1));
    if (next != npos && (close == npos || next < close))
      end = next; // left open
    else if (close != npos)
      end = close + kClose.size();
  }
  if (end == npos && final) end = b.size();
  return end;
}

bool Sieve::parse_call(std::string_view s, Piece &p) const {
  size_t gt = s.find('>');
  if (gt == std::string_view::npos) return false;
  std::string_view tag = s.substr(kCall.size(), gt - kCall.size());
  std::string name = attribute(tag, "name");
  std::string_view body;
  if (!tag.empty() && tag.back() == '/') {
    body = {};
  } else {
    size_t close = s.find(kClose, gt + 1);
    body = close == std::string_view::npos ? strip_trailers(s.substr(gt + 1))
                                           : s.substr(gt + 1, close - gt - 1);
  }
  std::string owned; // a body rebuilt from a JSON envelope
  if (name.empty()) {
    std::string_view n, args;
    if (element(body, "tool_name", n) || element(body, "name", n)) {
      name.assign(trim(n));
      if (!(element(body, "parameters", args) || element(body, "arguments", args) ||
            element(body, "input", args)))
        args = {};
      body = args;
    } else {
      Arguments env = repair_arguments(body, {});
      if (!env.ok) return false;
      auto j = parse_json(env.json);
      if (!j) return false;
      name = str_or(*j, "name");
      for (const char *k : {"arguments", "parameters", "input"}) {
        auto it = j->find(k);
        if (it == j->end()) continue;
        owned = it->is_string() ? it->get<std::string>() : dump(*it);
        break;
      }
      body = owned;
    }
  }
  const answer::ToolSpec *tool = find(name);
  if (!tool) return false;
  p.name = tool->name;
  if (tool->freeform) {
    if (starts_with(body, "\n"))
      body.remove_prefix(1);
    else if (starts_with(body, "\r\n"))
      body.remove_prefix(2);
    if (!body.empty() && body.back() == '\n') body.remove_suffix(1);
    if (!body.empty() && body.back() == '\r') body.remove_suffix(1);
    p.arguments.assign(body);
    p.freeform = true;
    return true;
  }
  Arguments a = repair_arguments(body, tool->parameters);
  if (!a.ok) return false;
  p.arguments = std::move(a.json);
  return true;
}

void Sieve::emit_block(size_t end, std::vector<Piece> &out) {
  const std::string_view blk = std::string_view(buf_).substr(0, end);
  std::vector<size_t> starts;
  for (size_t pos = blk.find(kCall); pos != std::string_view::npos; pos = blk.find(kCall, pos + 1))
    if (call_marker(blk.substr(pos)) > 0 && !starts_with(blk.substr(pos), kCalls))
      starts.push_back(pos);
  if (starts.empty()) {
    text(blk, out);
    return;
  }
  for (size_t k = 0; k < starts.size(); ++k) {
    size_t seg_a = k == 0 ? 0 : starts[k];
    size_t seg_b = k + 1 < starts.size() ? starts[k + 1] : end;
    Piece p;
    p.raw.assign(blk.substr(seg_a, seg_b - seg_a));
    if (!parse_call(blk.substr(starts[k], seg_b - starts[k]), p)) {
      text(p.raw, out);
      continue;
    }
    if (!parallel_ && calls_ > 0) {
      p.kind = Piece::Kind::Dropped;
    } else {
      p.kind = Piece::Kind::Call;
      ++calls_;
    }
    last_ = p.raw.empty() ? last_ : p.raw.back();
    out.push_back(std::move(p));
  }
}

void Sieve::feed(std::string_view chunk, std::vector<Piece> &out) {
  buf_.append(chunk);
  while (!buf_.empty()) {
    if (state_ == State::Scan) {
      scan(out);
      if (state_ == State::Scan) return;
    } else if (state_ == State::Block) {
      size_t end = block_end(false);
      if (end == std::string::npos) {
        scanned_ = buf_.size();
        return;
      }
      emit_block(end, out);
      buf_.erase(0, end);
      state_ = State::Scan;
    } else { // Tail
      if (!out.empty() && out.back().kind == Piece::Kind::Dropped && out.back().name.empty()) {
        out.back().raw += buf_;
      } else {
        Piece p;
        p.kind = Piece::Kind::Dropped;
        p.raw = buf_;
        out.push_back(std::move(p));
      }
      buf_.clear();
      return;
    }
  }
}

void Sieve::finish(std::vector<Piece> &out) {
  while (!buf_.empty()) {
    if (state_ == State::Scan) {
      scan(out);
      if (state_ == State::Scan) { // a held marker prefix that never completed
        text(buf_, out);
        buf_.clear();
      }
    } else if (state_ == State::Block) {
      size_t end = block_end(true);
      emit_block(end, out);
      buf_.erase(0, end);
      state_ = State::Scan;
    } else {
      feed({}, out); // Tail: swallowed
    }
  }
}

} // namespace g2a::tools
