// The mgw chat WebSocket client as a state machine (see mgw_session.h): the frames the
// gateway sends (built with g2a::json) and the decoding of what the server answers.
#include "grok/mgw_session.h"

#include "core/json.h"
#include "grok/answer_text.h"
#include "grok/card_cache.h"
#include "grok/media_tracker.h"
#include "grok/mgw_fast_frame.h"
#include "grok/mgw_frame.h"
#include "grok/padded_buffer.h"
#include "grok/upstream_errors.h"

#include <simdjson.h>

namespace g2a::grok {

namespace {

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

} // namespace

struct MgwSession::Impl {
  Impl(EventSink &o, Send s, NewId n, MgwRequest r, DecodeOptions op)
      : out(o), send(std::move(s)), new_id(std::move(n)), req(std::move(r)), opt(std::move(op)),
        media(o), cards(o, media), text(o, cards), thinking(o) {
    lower_tags(opt.filtered_tags);
  }

  EventSink &out;
  Send send;
  NewId new_id;
  MgwRequest req;
  DecodeOptions opt;
  MediaTracker media;
  CardCache cards;
  AnswerText text;
  ReasoningText thinking;
  simdjson::ondemand::parser parser;
  PaddedBuffer buf;         // padded copy of a frame for simdjson
  UnescapeBuffer unescaped; // the fast path's unescaped strings of the current frame
  MgwFrame frame;

  State state = State::Idle;
  std::string init_id, session_id, conv_id, resp_id;
  bool created = false, attached = false;
  enum class TextPath { None, Chunk, Delta } text_path = TextPath::None;
  long long last_ping = 0;
  size_t bad = 0;

  bool ended() const { return state == State::Done || state == State::Failed; }
  void act(const MgwFrame &f, long long now_ms);
  void on_attached(long long now_ms);
  void answer(std::string_view s, TextPath path);
  void finish_ok();
  void fail(Failure failure, std::string_view message, std::string_view code = {});
  void send_json(const json &j) { send(dump(j)); }
};

void MgwSession::Impl::act(const MgwFrame &f, long long now_ms) {
  std::string_view type = f.type;
  if (type == "error") {
    std::string_view msg =
        f.error_message.empty() ? std::string_view("upstream error") : f.error_message;
    return fail(classify_error_message(f.error_message, f.error_code), msg, f.error_code);
  }
  if (type == "session.ended")
    return fail(Failure::Network, "session ended before the response completed");
  if (state == State::CreatingSession) {
    if (type == "session.created") {
      if (f.client_event_id != init_id) return; // not the answer to our session.create
      created = true;
      session_id = f.session_id;
    } else if (type == "conversation.attached") {
      attached = true;
      conv_id = f.conversation_id;
    } else {
      return;
    }
    if (created && attached) {
      if (session_id.empty()) session_id = conv_id;
      if (conv_id.empty()) conv_id = session_id;
      if (conv_id != session_id)
        return fail(Failure::BadResponse, "conversation.attached does not match the session");
      on_attached(now_ms);
    }
    return;
  }
  if (state != State::Responding) return;

  if (type == "response.created") {
    if (!f.response_id.empty()) resp_id = f.response_id;
  } else if (type == "response.chunk") {
    for (const auto &s : f.sources) cards.source(s);
    if (f.has_citation) cards.cite(f.citation_url, f.citation_title);
    if (f.has_text) {
      std::string_view ch = f.channel;
      if (ch.empty() || ch == "CHANNEL_ASSISTANT_RESPONSE") {
        answer(f.text, TextPath::Chunk);
      } else if (contains(ch, "NOTETAKER_HEADER")) {
        thinking.push(f.text, true);
      } else if (contains(ch, "ANALYSIS") || contains(ch, "REASONING")) {
        thinking.push(f.text, false);
      } // other channels (tool chatter) are not shown
    }
  } else if (type == "response.output_text.delta") {
    if (f.has_delta) answer(f.delta, TextPath::Delta);
  } else if (type == "response.output_text.done") {
    if (f.has_full_text && !text.emitted()) answer(f.full_text, TextPath::Delta);
  } else if (type == "response.search.result") {
    for (const auto &s : f.sources) cards.source(s);
  } else if (type == "response.grok.output") {
    for (const auto &s : f.sources) cards.source(s);
    for (auto a : f.attachments) cards.add_attachment(a);
    if (!f.progress.empty()) thinking.push(f.progress, true);
    if (f.has_stream_error) {
      std::string_view msg = !f.se_message.empty() ? f.se_message : f.se_reason;
      Failure failure =
          f.se_rate_limited ? Failure::RateLimited : classify_error_message(msg, f.se_kind);
      if (failure == Failure::Upstream5xx && !f.se_reason.empty())
        failure = classify_error_message(f.se_reason, f.se_kind);
      return fail(failure, msg.empty() ? std::string_view("stream error") : msg, f.se_kind);
    }
  } else if (type == "response.done") {
    if (!f.response_id.empty()) resp_id = f.response_id;
    if (f.status.empty() || f.status == "completed") return finish_ok();
    std::string msg = "response " + std::string(f.status);
    if (!f.status_reason.empty()) msg.append(": ").append(f.status_reason);
    return fail(classify_error_message(f.status_reason), msg);
  }
  // conversation.item.added, conversation.title.updated, response.persisted, pings, unknown
  // event types: nothing to do.
}

void MgwSession::Impl::on_attached(long long now_ms) {
  state = State::Responding;
  Event meta;
  meta.kind = Event::Kind::Meta;
  meta.id = conv_id;
  out.on_event(std::move(meta));

  json chunks = json::array();
  chunks.push_back(json{{"text", json{{"text", req.prompt}}}});
  json file_ids = json::array();
  for (const auto &id : req.file_ids) {
    chunks.push_back(
        json{{"mention", json{{"target", json{{"file_mention", json{{"file_id", id}}}}}}}});
    file_ids.push_back(id);
  }
  json item = {{"type", "message"},
               {"role", "user"},
               {"x_grok", {{"client_message_id", new_id()}, {"input_chunks", std::move(chunks)}}}};
  if (!req.file_ids.empty()) item["file_attachment_ids"] = file_ids;
  json ev = {{"type", "conversation.item.create"},
             {"event_id", "evt_msg_" + std::to_string(now_ms)},
             {"item", std::move(item)}};
  if (!req.file_ids.empty()) ev["file_attachment_ids"] = std::move(file_ids);
  send_json({{"session_id", session_id}, {"event", std::move(ev)}});
  send_json({{"session_id", session_id},
             {"event",
              {{"type", "response.create"}, {"event_id", "evt_resp_" + std::to_string(now_ms)}}}});
}

// Answer text arrives by one of two paths (chunk text or output_text deltas); the first path
// seen wins so a server sending both does not duplicate the answer.
void MgwSession::Impl::answer(std::string_view s, TextPath path) {
  if (text_path == TextPath::None) text_path = path;
  if (text_path != path) return;
  if (has_filtered_tag(s, opt.filtered_tags)) return;
  text.push(s);
}

void MgwSession::Impl::finish_ok() {
  text.finish();
  if (!text.emitted() && !media.any() && !cards.system_error().empty()) {
    std::string code(cards.system_error());
    return fail(classify_error_message({}, code), "image generation failed: " + code, code);
  }
  state = State::Done;
  Event ev;
  ev.kind = Event::Kind::Done;
  ev.ref = resp_id;
  out.on_event(std::move(ev));
}

void MgwSession::Impl::fail(Failure failure, std::string_view message, std::string_view code) {
  if (ended()) return;
  state = State::Failed;
  Event ev;
  ev.kind = Event::Kind::Error;
  ev.failure = failure;
  ev.text = message;
  ev.ref = code;
  out.on_event(std::move(ev));
}

MgwSession::MgwSession(EventSink &out, Send send, NewId new_id, MgwRequest req, DecodeOptions opt)
    : impl_(new Impl(out, std::move(send), std::move(new_id), std::move(req), std::move(opt))) {}
MgwSession::~MgwSession() {
  delete impl_;
}

void MgwSession::start(long long now_ms) {
  Impl &s = *impl_;
  if (s.state != State::Idle) return;
  s.state = State::CreatingSession;
  s.last_ping = now_ms;
  s.init_id = "evt_init_" + s.new_id();
  const MgwRequest &r = s.req;
  json x_grok = {
      {"protocol_capabilities", json::array({"conversation_attached", "custom_methods_v1"})},
      {"use_chunk", true},
      {"enable_side_by_side", true},
      {"force_side_by_side", false},
      {"enable_image_generation", r.enable_image_generation},
      {"image_generation_count", r.image_count},
      {"disable_text_follow_ups", true},
      {"disable_artifact", true},
      {"force_concise", false},
      {"keep_context", false},
      {"is_temporary", r.temporary},
      {"disable_memory", r.disable_memory}};
  if (r.disable_search) x_grok["disable_web_search"] = true;
  s.send_json({{"event",
                {{"type", "session.create"},
                 {"event_id", s.init_id},
                 {"session", {{"model", r.mode}, {"x_grok", std::move(x_grok)}}}}}});
}

void MgwSession::on_frame(std::string_view frame, long long now_ms) {
  Impl &s = *impl_;
  if (s.state == State::Idle || s.ended()) return;
  // Text frames take the strict one-pass reader (no copy); anything else (or anything it
  // doubts) is copied with padding for simdjson, which then decides.
  if (!read_mgw_fast(frame.data(), frame.size(), s.unescaped, s.frame)) {
    s.buf.assign(frame);
    if (read_mgw_frame(s.parser, s.buf.data(), s.buf.size(), s.buf.capacity(), s.frame) !=
        simdjson::SUCCESS) {
      ++s.bad;
      return;
    }
  }
  s.act(s.frame, now_ms);
}

void MgwSession::on_tick(long long now_ms) {
  Impl &s = *impl_;
  if (s.state != State::CreatingSession && s.state != State::Responding) return;
  if (now_ms - s.last_ping < kHeartbeatMs) return;
  s.last_ping = now_ms;
  s.send_json({{"event", {{"type", "ping"}, {"event_id", "evt_hb_" + std::to_string(now_ms)}}}});
}

void MgwSession::on_close() {
  impl_->fail(Failure::Network, "connection closed before the response completed");
}

bool MgwSession::done() const {
  return impl_->ended();
}
MgwSession::State MgwSession::state() const {
  return impl_->state;
}
std::string MgwSession::conversation_id() const {
  return impl_->conv_id;
}
std::string MgwSession::response_id() const {
  return impl_->resp_id;
}
size_t MgwSession::bad_frames() const {
  return impl_->bad;
}

} // namespace g2a::grok
