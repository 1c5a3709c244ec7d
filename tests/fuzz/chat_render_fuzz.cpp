// libFuzzer target: the Chat Completions SSE and JSON writers (openai/chat_render.h) and the
// Images API writers (openai/image_render.h), fed neutral events with arbitrary text. Input:
// a renderer fixture (tests/native/fixtures/openai/*.events.json: {options, chunks}) or raw
// bytes that encode options and events. Invariants: every SSE frame is "data: <one-line
// JSON>\n\n" that nlohmann reads back (valid JSON and UTF-8), with the same id/created/model
// in every chunk; the stream ends with [DONE] after finish() or with one error event after
// fail(), and nothing follows; the JSON renderer's body reads back too, and when the events
// carry valid UTF-8 its content, reasoning_content and annotations equal what the stream's
// deltas add up to; annotation offsets lie inside the content; the images JSON and events
// read back and the error event is in OpenAI's shape.
#include "fuzz_util.h"
#include "openai/chat_render.h"
#include "openai/image_render.h"

#include <vector>

using namespace g2a;
using namespace g2a::openai;
using answer::Event;

namespace {

struct Script {
  ChatRenderOptions opt;
  std::vector<std::vector<Event>> chunks;
  bool fail = false;
  std::string finish_reason = "stop";
};

Event::Kind kind_from(std::string_view k) {
  if (k == "meta") return Event::Kind::Meta;
  if (k == "reasoning") return Event::Kind::Reasoning;
  if (k == "citation") return Event::Kind::Citation;
  if (k == "source") return Event::Kind::Source;
  if (k == "image") return Event::Kind::Image;
  if (k == "video") return Event::Kind::Video;
  if (k == "error") return Event::Kind::Error;
  if (k == "done") return Event::Kind::Done;
  return Event::Kind::Text;
}

bool from_fixture(std::string_view in, Script &s) {
  auto j = parse_json(in);
  if (!j || !j->is_object() || !jget(*j, "chunks").is_array()) return false;
  const json &o = jget(*j, "options");
  s.opt.id = str_or(o, "id", "chatcmpl-x");
  s.opt.created = int_or(o, "created", 0);
  s.opt.model = str_or(o, "model", "grok-4");
  std::string r = str_or(o, "reasoning", "content");
  s.opt.reasoning = r == "think_tags" ? ReasoningOutput::ThinkTags
                    : r == "hidden"   ? ReasoningOutput::Hidden
                                      : ReasoningOutput::Content;
  s.opt.include_usage = bool_or(o, "include_usage");
  s.opt.sources_list = bool_or(o, "sources_list");
  s.opt.video_html = bool_or(o, "video_html");
  s.opt.prompt_tokens = int_or(o, "prompt_tokens", 0);
  for (const auto &c : (*j)["chunks"]) {
    s.chunks.emplace_back();
    if (!c.is_array()) continue;
    for (const auto &e : c) {
      Event ev;
      ev.kind = kind_from(str_or(e, "kind"));
      ev.text = str_or(e, "text");
      ev.id = str_or(e, "id");
      ev.ref = str_or(e, "ref");
      ev.url = str_or(e, "url");
      ev.title = str_or(e, "title");
      ev.thumb = str_or(e, "thumb");
      ev.progress = static_cast<int>(int_or(e, "progress", -1));
      ev.moderated = bool_or(e, "moderated");
      s.chunks.back().push_back(std::move(ev));
    }
  }
  s.fail = !str_or(*j, "fail").empty();
  return true;
}

// Raw form: byte 0 options; then events: a kind byte, a progress byte and five fields
// (text, url, title, id, thumb) each ending at 0x1f; kind 0xff starts a new chunk.
void from_bytes(fuzz::Reader r, Script &s) {
  uint8_t o = r.byte();
  s.opt.id = "chatcmpl-fuzz";
  s.opt.created = 1767225600;
  s.opt.model = o & 0x80 ? std::string("grok\"\\\n\xe2\x80\xa8") : std::string("grok-4");
  s.opt.reasoning = static_cast<ReasoningOutput>(o % 3);
  s.opt.include_usage = o & 4;
  s.opt.sources_list = o & 8;
  s.opt.video_html = o & 16;
  s.fail = o & 32;
  s.finish_reason = o & 64 ? "length" : "stop";
  s.chunks.emplace_back();
  while (!r.empty()) {
    uint8_t k = r.byte();
    if (k == 0xff) {
      s.chunks.emplace_back();
      continue;
    }
    Event ev;
    // Every kind, Done included (ToolCall was added after this harness: the kinds grew to 10).
    ev.kind = static_cast<Event::Kind>(k % (static_cast<int>(Event::Kind::Done) + 1));
    uint8_t p = r.byte();
    ev.progress = p > 101 ? -1 : p;
    ev.moderated = p & 1;
    ev.text = r.until('\x1f');
    ev.url = r.until('\x1f');
    ev.title = r.until('\x1f');
    ev.id = r.until('\x1f');
    ev.thumb = r.until('\x1f');
    s.chunks.back().push_back(std::move(ev));
  }
}

bool events_utf8(const Script &s) {
  for (const auto &c : s.chunks)
    for (const auto &e : c)
      for (const std::string *f : {&e.text, &e.url, &e.title, &e.id, &e.thumb})
        if (!fuzz::valid_utf8(*f)) return false;
  return true;
}

long long code_points(std::string_view s) {
  long long n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

void check_chat(const Script &s) {
  std::string out;
  ChatStreamRenderer stream(s.opt, out);
  ChatJsonRenderer whole(s.opt);
  for (const auto &chunk : s.chunks) {
    for (const auto &e : chunk) {
      Event a = e, b = e;
      stream.on_event(std::move(a));
      whole.on_event(std::move(b));
    }
    stream.flush();
  }
  ApiError err = invalid_request("upstream failed: \"x\"\n\xff", "p", "c");
  if (s.fail)
    stream.fail(err);
  else
    stream.finish(s.finish_reason);
  FUZZ_CHECK(stream.ended(), "not ended");
  size_t before = out.size();
  Event late;
  late.text = "late";
  stream.on_event(std::move(late));
  stream.finish("stop");
  stream.fail(err);
  FUZZ_CHECK(out.size() == before, "bytes written after the end");

  // Frames.
  std::string content, reasoning;
  json annotations = json::array();
  std::string_view rest = out;
  std::vector<std::string_view> frames;
  while (!rest.empty()) {
    size_t end = rest.find("\n\n");
    FUZZ_CHECK(end != std::string_view::npos, out);
    frames.push_back(rest.substr(0, end));
    rest.remove_prefix(end + 2);
  }
  FUZZ_CHECK(!frames.empty(), out);
  for (size_t i = 0; i < frames.size(); ++i) {
    std::string_view f = frames[i];
    FUZZ_CHECK(f.rfind("data: ", 0) == 0, f);
    std::string_view payload = f.substr(6);
    FUZZ_CHECK(payload.find('\n') == std::string_view::npos && !payload.empty(), f);
    if (payload == "[DONE]") {
      FUZZ_CHECK(!s.fail && i + 1 == frames.size(), out);
      continue;
    }
    json j = fuzz::must_parse(payload, "an SSE frame is not JSON");
    if (j.contains("error")) {
      FUZZ_CHECK(s.fail && i + 1 == frames.size(), out);
      fuzz::check_error_shape(j, payload);
      continue;
    }
    FUZZ_CHECK(jget(j, "id") == json(s.opt.id) && jget(j, "created") == json(s.opt.created), f);
    FUZZ_CHECK(jget(j, "object") == json("chat.completion.chunk"), f);
    FUZZ_CHECK(j["model"].is_string(), f);
    const json &delta = jget(j, "choices", 0, "delta");
    if (delta.is_object()) {
      if (delta.contains("content") && !delta["content"].is_null())
        content += delta["content"].get<std::string>();
      if (delta.contains("reasoning_content"))
        reasoning += delta["reasoning_content"].get<std::string>();
      if (delta.contains("annotations"))
        for (const auto &a : delta["annotations"]) annotations.push_back(a);
    }
  }
  if (!s.fail) FUZZ_CHECK(frames.back() == "data: [DONE]", out);

  std::string body = whole.render(s.finish_reason);
  json j = fuzz::must_parse(body, "the chat.completion body is not JSON");
  const json &msg = jget(j, "choices", 0, "message");
  FUZZ_CHECK(msg.is_object(), body);
  // With tool calls and no text the content is null, as OpenAI sends it; otherwise a string.
  const json &calls = jget(msg, "tool_calls");
  FUZZ_CHECK(msg["content"].is_string() ||
                 (msg["content"].is_null() && calls.is_array() && !calls.empty()),
             body);
  for (const auto &c : calls.is_array() ? calls : json::array())
    FUZZ_CHECK(c["id"].is_string() && jget(c, "type") == json("function") &&
                   jget(c, "function", "name").is_string() &&
                   jget(c, "function", "arguments").is_string(),
               body);
  std::string full = msg["content"].is_string() ? msg["content"].get<std::string>() : "";
  for (const auto &a : jget(msg, "annotations").is_array() ? msg["annotations"] : json::array()) {
    long long st = int_or(a["url_citation"], "start_index", -1);
    long long en = int_or(a["url_citation"], "end_index", -1);
    FUZZ_CHECK(st >= 0 && st <= en && en <= code_points(full), body);
  }
  if (!s.fail && events_utf8(s)) {
    FUZZ_CHECK(content == full, body + "\n---\n" + out);
    if (s.opt.reasoning == ReasoningOutput::Content)
      FUZZ_CHECK(reasoning == str_or(msg, "reasoning_content"), body + "\n---\n" + out);
    else
      FUZZ_CHECK(reasoning.empty(), out);
    json ja = jget(msg, "annotations").is_array() ? msg["annotations"] : json::array();
    FUZZ_CHECK(dump(ja) == dump(annotations), body + "\n---\n" + out);
  }
}

void check_images(const Script &s) {
  std::vector<RenderedImage> imgs;
  ImagesMeta meta;
  for (const auto &c : s.chunks)
    for (const auto &e : c) {
      if (imgs.size() < 4)
        imgs.push_back({e.url, e.kind == Event::Kind::Image ? e.text : "", e.title});
      if (meta.size.empty()) meta.size = e.id, meta.quality = e.thumb;
    }
  ImageUsage u = image_usage(imgs.empty() ? "" : imgs[0].revised_prompt, imgs.size(), imgs.size());
  std::string body = images_response_json(s.opt.created, imgs, u, meta);
  json j = fuzz::must_parse(body, "images JSON is not JSON");
  FUZZ_CHECK(jget(j, "data").is_array() && j["data"].size() == imgs.size(), body);
  for (size_t i = 0; i < imgs.size() && i < 2; ++i) {
    for (auto kind : {ImageStream::Generation, ImageStream::Edit}) {
      for (const std::string &ev :
           {image_partial_event(kind, imgs[i], 0, s.opt.created, meta, static_cast<int>(i)),
            image_completed_event(kind, imgs[i], s.opt.created, u, meta, -1)}) {
        FUZZ_CHECK(ev.rfind("event: image_", 0) == 0, ev);
        size_t nl = ev.find('\n');
        FUZZ_CHECK(nl != std::string::npos && ev.compare(nl + 1, 6, "data: ") == 0, ev);
        FUZZ_CHECK(ev.size() >= 2 && ev.compare(ev.size() - 2, 2, "\n\n") == 0, ev);
        std::string_view payload(ev.data() + nl + 7, ev.size() - nl - 9);
        FUZZ_CHECK(payload.find('\n') == std::string_view::npos, ev);
        json p = fuzz::must_parse(payload, "an image event is not JSON");
        FUZZ_CHECK(p["type"].is_string() && ev.compare(7, p["type"].get<std::string>().size(),
                                                       p["type"].get<std::string>()) == 0,
                   ev);
      }
    }
  }
  ApiError e =
      invalid_request(imgs.empty() ? "m" : imgs[0].url, imgs.empty() ? "" : imgs[0].b64_json, "c");
  std::string ev = image_error_event(e);
  FUZZ_CHECK(
      ev.rfind("data: ", 0) == 0 && ev.size() > 8 && ev.compare(ev.size() - 2, 2, "\n\n") == 0, ev);
  std::string_view payload(ev.data() + 6, ev.size() - 8);
  FUZZ_CHECK(payload.find('\n') == std::string_view::npos, ev);
  fuzz::check_error_shape(fuzz::must_parse(payload, "image error event is not JSON"), ev);
  std::string sse = error_sse_event(e);
  FUZZ_CHECK(sse == ev, sse);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view in(reinterpret_cast<const char *>(data), size);
  Script s;
  if (!from_fixture(in, s)) {
    s = Script{};
    from_bytes(fuzz::Reader(in), s);
  }
  check_chat(s);
  check_images(s);
  return 0;
}
