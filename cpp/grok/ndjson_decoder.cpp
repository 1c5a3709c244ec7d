// REST NDJSON stream → Events: line splitting (linear: only new bytes are searched for '\n',
// a partial line waits in a padded carry buffer), line framing (`data:` prefix, `[DONE]`,
// CRLF, blank lines), and acting on each parsed RestFrame.
#include "grok/ndjson_decoder.h"

#include "grok/answer_text.h"
#include "grok/card_cache.h"
#include "grok/media_tracker.h"
#include "grok/ndjson_frame.h"
#include "grok/padded_buffer.h"
#include "grok/rest_fast_frame.h"
#include "grok/upstream_errors.h"

#include <simdjson.h>

#include <bit>
#include <cstdint>
#include <cstring>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace g2a::grok {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The first '\n' in [p, end), or nullptr, inline (memchr is a call and a byte loop until
// aligned in wasm, and lines are short): sixteen bytes at a time with wasm SIMD (this file is
// built with -msimd128 for the Worker), then eight at a time in a word, where the lowest
// marked byte is the first '\n' (a borrow only marks bytes above a marked one; little-endian).
const char *find_newline(const char *p, const char *end) {
#ifdef __wasm_simd128__
  const v128_t nl = wasm_i8x16_splat('\n');
  while (end - p >= 16) {
    uint32_t hit = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(p), nl));
    if (hit) return p + std::countr_zero(hit);
    p += 16;
  }
#endif
  constexpr uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
  while (end - p >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    w ^= ones * '\n';
    uint64_t hit = (w - ones) & ~w & high;
    if (hit) return p + std::countr_zero(hit) / 8;
    p += 8;
  }
  for (; p < end; ++p)
    if (*p == '\n') return p;
  return nullptr;
}

} // namespace

struct NdjsonDecoder::Impl {
  Impl(EventSink &o, DecodeOptions op)
      : out(o), opt(std::move(op)), media(o), cards(o, media), text(o, cards), thinking(o) {
    lower_tags(opt.filtered_tags);
  }

  EventSink &out;
  DecodeOptions opt;
  MediaTracker media;
  CardCache cards;
  AnswerText text;
  ReasoningText thinking;
  simdjson::ondemand::parser parser;
  PaddedBuffer carry;       // the partial line; also the scratch copy of an unpadded complete line
  UnescapeBuffer unescaped; // the fast path's unescaped strings of the current line
  RestTailMemo memo;        // the fast path's last token-line tail
  RestFrame frame;
  size_t lines = 0, bad = 0, scanned = 0, ignored = 0;
  bool ended = false;     // Done or Error emitted
  bool meta_sent = false; // Meta(conversation id) emitted
  std::string response_id;

  void feed(std::string_view bytes, size_t pad);
  void line(const char *p, size_t len, size_t cap);
  void act(const RestFrame &f);
  void token(const RestFrame &f);
  bool model_response(const RestFrame &f);
  void complete();
  void error(Failure failure, std::string_view message, std::string_view code);
  bool too_long(size_t n) {
    if (n <= opt.max_line_bytes) return false;
    error(Failure::BadResponse,
          "upstream line exceeds " + std::to_string(opt.max_line_bytes) + " bytes", {});
    carry.clear();
    return true;
  }
};

void NdjsonDecoder::Impl::feed(std::string_view bytes, size_t pad) {
  const char *p = bytes.data();
  const char *end = p + bytes.size();
  while (p < end && !ended) {
    const char *nl = find_newline(p, end);
    scanned += static_cast<size_t>((nl ? nl + 1 : end) - p);
    if (!nl) {
      if (too_long(carry.size() + static_cast<size_t>(end - p))) return;
      carry.append(p, static_cast<size_t>(end - p));
      return;
    }
    size_t len = static_cast<size_t>(nl - p);
    if (carry.empty()) {
      if (too_long(len)) return;
      // Readable bytes from p: the rest of this chunk plus the caller's padding.
      size_t readable = static_cast<size_t>(end - p) + pad;
      if (readable >= len + simdjson::SIMDJSON_PADDING) {
        line(p, len, readable);
      } else {
        carry.append(p, len);
        line(carry.data(), carry.size(), carry.capacity());
        carry.clear();
      }
    } else {
      if (too_long(carry.size() + len)) return;
      carry.append(p, len);
      line(carry.data(), carry.size(), carry.capacity());
      carry.clear();
    }
    p = nl + 1;
  }
}

// One complete line (without its '\n'); `cap` readable bytes from p.
void NdjsonDecoder::Impl::line(const char *p, size_t len, size_t cap) {
  const char *b = p, *e = p + len;
  while (b < e && is_space(*b)) ++b;
  while (e > b && is_space(e[-1])) --e;
  if (b == e) return;
  std::string_view s(b, static_cast<size_t>(e - b));
  if (s.front() != '{') { // (a JSON line is the common case: no prefix compares for it)
    if (s.substr(0, 5) == "data:") {
      s.remove_prefix(5);
      while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
      if (s.empty() || s == "[DONE]") return;
    } else if (s.front() == ':' || s.substr(0, 6) == "event:" || s.substr(0, 3) == "id:" ||
               s.substr(0, 6) == "retry:") {
      return; // SSE framing around `data:` lines
    }
    if (s.front() != '{') {
      ++bad;
      return;
    }
  }
  // Token lines take the strict one-pass reader; anything else (or anything it doubts) goes
  // to simdjson, which then decides. Both give the same frame for a line both accept.
  if (!read_rest_fast(s.data(), s.size(), unescaped, frame, &memo)) {
    size_t avail = cap - static_cast<size_t>(s.data() - p);
    if (read_rest_frame(parser, s.data(), s.size(), avail, !text.emitted(), frame) !=
        simdjson::SUCCESS) {
      ++bad;
      return;
    }
  }
  ++lines;
  if (!frame.known()) ++ignored; // a kind of frame Grok added: ignored, counted
  act(frame);
}

void NdjsonDecoder::Impl::act(const RestFrame &f) {
  if (f.has_error) {
    error(classify_error_message(f.error_message, f.error_code),
          f.error_message.empty() ? std::string_view("upstream error") : f.error_message,
          f.error_code);
    return;
  }
  if (f.has_conversation && !f.conversation_id.empty() && !meta_sent) {
    meta_sent = true;
    Event ev;
    ev.kind = Event::Kind::Meta;
    ev.id = f.conversation_id;
    out.on_event(std::move(ev));
  }
  if (!f.user_response && !f.response_id.empty()) response_id = f.response_id;
  for (const auto &s : f.sources) cards.source(s);
  for (auto a : f.attachments) cards.add_attachment(a);
  for (auto c : f.card_jsons) cards.add_card(c);
  if (f.has_image) {
    MediaUpdate u;
    u.id = !f.image_id.empty() ? f.image_id : f.image_asset;
    u.url = f.image_url;
    u.progress = f.image_progress;
    u.final = f.image_final;
    u.moderated = f.image_moderated;
    std::string index_id;
    if (u.id.empty() && u.url.empty() && f.image_index >= 0) {
      index_id = "image-" + std::to_string(f.image_index);
      u.id = index_id;
    }
    media.image(u);
  }
  if (f.has_video) {
    MediaUpdate u;
    u.id = f.video_id;
    u.post_id = f.video_post_id;
    u.url = f.video_url;
    u.thumb = f.video_thumb;
    u.progress = f.video_progress;
    u.moderated = f.video_moderated;
    media.video(u);
  }
  if (f.has_token) token(f);
  if (f.has_model_response && !model_response(f)) return; // an error ended the stream
  if (f.soft_stop || f.final_metadata || f.has_model_response) complete();
}

void NdjsonDecoder::Impl::token(const RestFrame &f) {
  std::string_view tok = f.token;
  if (tok.empty() || f.tool_plumbing) return;
  if (f.message_tag == "tool_usage_card" || f.message_tag == "raw_function_result") return;
  if (has_filtered_tag(tok, opt.filtered_tags)) return;
  if (f.is_thinking)
    thinking.push(tok, f.message_tag == "header");
  else
    text.push(tok);
}

// Returns false when the response carried an error (the Error was emitted).
bool NdjsonDecoder::Impl::model_response(const RestFrame &f) {
  if (!f.mr_response_id.empty()) response_id = f.mr_response_id;
  if (f.mr_has_message && !f.mr_message.empty() && !text.emitted()) text.push(f.mr_message);
  for (auto u : f.mr_image_urls) media.generated_image_url(u);
  for (auto u : f.mr_files) media.video_file(u, false);
  for (const auto &a : f.mr_assets)
    if (a.mime.substr(0, 6) == "video/") media.video_file(a.key, true);
  if (!f.mr_error.empty() && !text.emitted() && !media.any()) {
    error(classify_error_message(f.mr_error), f.mr_error, {});
    return false;
  }
  return true;
}

void NdjsonDecoder::Impl::complete() {
  if (ended) return;
  text.finish();
  if (!text.emitted() && !media.any() && !cards.system_error().empty()) {
    std::string code(cards.system_error());
    error(classify_error_message({}, code), "image generation failed: " + code, code);
    return;
  }
  ended = true;
  Event ev;
  ev.kind = Event::Kind::Done;
  ev.ref = response_id;
  out.on_event(std::move(ev));
}

void NdjsonDecoder::Impl::error(Failure failure, std::string_view message, std::string_view code) {
  if (ended) return;
  ended = true;
  Event ev;
  ev.kind = Event::Kind::Error;
  ev.failure = failure;
  ev.text = message;
  ev.ref = code;
  out.on_event(std::move(ev));
}

NdjsonDecoder::NdjsonDecoder(EventSink &out, DecodeOptions opt)
    : impl_(new Impl(out, std::move(opt))) {}
NdjsonDecoder::~NdjsonDecoder() {
  delete impl_;
}

void NdjsonDecoder::feed(std::string_view bytes) {
  impl_->feed(bytes, 0);
}
void NdjsonDecoder::feed(std::string_view bytes, size_t readable_padding) {
  impl_->feed(bytes, readable_padding);
}

void NdjsonDecoder::finish() {
  Impl &d = *impl_;
  if (d.ended) return;
  if (!d.carry.empty()) {
    d.line(d.carry.data(), d.carry.size(), d.carry.capacity());
    d.carry.clear();
  }
  d.error(Failure::Network, "stream ended before the answer completed", {});
}

bool NdjsonDecoder::done() const {
  return impl_->ended;
}
size_t NdjsonDecoder::ignored_frames() const {
  return impl_->ignored;
}
size_t NdjsonDecoder::lines() const {
  return impl_->lines;
}
size_t NdjsonDecoder::bad_lines() const {
  return impl_->bad;
}
size_t NdjsonDecoder::bytes_scanned() const {
  return impl_->scanned;
}

} // namespace g2a::grok
