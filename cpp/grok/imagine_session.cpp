// The imagine WebSocket client as a state machine (see imagine_session.h): the two frames the
// gateway sends, and the decoding of the server's json / image / error frames into Events.
#include "grok/imagine_session.h"
#include "core/text.h"

#include "core/json.h"
#include "grok/ondemand_util.h"
#include "grok/padded_buffer.h"
#include "grok/upstream_errors.h"

#include <vector>

namespace g2a::grok {

namespace {

json envelope(json content, long long now_ms) {
  return {{"type", "conversation.item.create"},
          {"timestamp", now_ms},
          {"item", {{"type", "message"}, {"content", std::move(content)}}}};
}

bool is_done_status(std::string_view s) {
  return s == "completed" || s == "done" || s == "success";
}

bool is_error_status(std::string_view s) {
  return s == "error" || s == "failed";
}

// One decoded server frame; views point into the session's buffer / parser until the next one.
struct ImagineFrame {
  std::string_view type, request_id, image_id, url, blob, status;
  std::string_view err_code, err_msg;
  int progress = -1;
  bool moderated = false;
  bool has_request_id = false;
};

od::error_code read_error_object(od::ondemand::value &v, ImagineFrame &f) {
  od::ondemand::object obj;
  G2A_OD_TRY(v.get_object().get(obj));
  for (auto field : obj) {
    std::string_view key;
    G2A_OD_TRY(field.unescaped_key().get(key));
    od::ondemand::value fv;
    G2A_OD_TRY(field.value().get(fv));
    if (key == "message") {
      G2A_OD_TRY(od::str(fv, f.err_msg));
    } else if (key == "code") {
      G2A_OD_TRY(od::str(fv, f.err_code));
    }
  }
  return od::SUCCESS;
}

od::error_code read_frame(od::ondemand::parser &parser, const PaddedBuffer &buf, ImagineFrame &f) {
  f = ImagineFrame{};
  od::ondemand::document doc;
  G2A_OD_TRY(parser.iterate(buf.data(), buf.size(), buf.capacity()).get(doc));
  od::ondemand::object obj;
  G2A_OD_TRY(doc.get_object().get(obj));
  std::string_view id_fallback;
  for (auto field : obj) {
    std::string_view key;
    G2A_OD_TRY(field.unescaped_key().get(key));
    od::ondemand::value v;
    G2A_OD_TRY(field.value().get(v));
    if (key == "type") {
      G2A_OD_TRY(od::str(v, f.type));
    } else if (key == "request_id" || key == "requestId") {
      G2A_OD_TRY(od::str(v, f.request_id));
      f.has_request_id = !f.request_id.empty();
    } else if (key == "image_id" || key == "imageId") {
      G2A_OD_TRY(od::str(v, f.image_id));
    } else if (key == "id" || key == "job_id" || key == "jobId") {
      G2A_OD_TRY(od::str(v, id_fallback));
    } else if (key == "url" || key == "imageUrl" || key == "image_url") {
      G2A_OD_TRY(od::str(v, f.url));
    } else if (key == "blob") {
      G2A_OD_TRY(od::str(v, f.blob));
    } else if (key == "percentage_complete" || key == "percentageComplete" || key == "progress") {
      G2A_OD_TRY(od::integer(v, f.progress));
    } else if (key == "current_status" || key == "currentStatus") {
      G2A_OD_TRY(od::str(v, f.status));
    } else if (key == "moderated") {
      G2A_OD_TRY(od::boolean(v, f.moderated));
    } else if (key == "err_code" || key == "errCode") {
      G2A_OD_TRY(od::str(v, f.err_code));
    } else if (key == "err_msg" || key == "err_message" || key == "errMsg" || key == "errMessage") {
      G2A_OD_TRY(od::str(v, f.err_msg));
    } else if (key == "error") {
      od::ondemand::json_type t;
      G2A_OD_TRY(od::type_of(v, t));
      if (t == od::ondemand::json_type::object) {
        G2A_OD_TRY(read_error_object(v, f));
      } else if (f.err_msg.empty()) {
        G2A_OD_TRY(od::str(v, f.err_msg));
      }
    }
  }
  if (f.image_id.empty()) f.image_id = id_fallback;
  if (!doc.at_end()) return simdjson::TRAILING_CONTENT;
  return od::SUCCESS;
}

} // namespace

std::string imagine_reset_frame(long long now_ms) {
  return dump(envelope(json::array({json{{"type", "reset"}}}), now_ms));
}

std::string imagine_request_frame(const ImagineRequest &req, long long now_ms) {
  int n = req.n < 1 ? 1 : (req.n > kImagineMaxGenerations ? kImagineMaxGenerations : req.n);
  json props = {{"section_count", 0},
                {"is_kids_mode", false},
                {"enable_nsfw", req.nsfw},
                {"skip_upsampler", false},
                {"enable_side_by_side", true},
                {"is_initial", false},
                {"aspect_ratio", req.aspect_ratio},
                {"enable_pro", req.pro},
                {"num_generations", n}};
  json content = json::array({json{{"requestId", req.request_id},
                                   {"text", req.prompt},
                                   {"type", "input_text"},
                                   {"properties", std::move(props)}}});
  return dump(envelope(std::move(content), now_ms));
}

struct ImagineSession::Impl {
  Impl(EventSink &o, Send s, ImagineRequest r) : out(o), send(std::move(s)), req(std::move(r)) {
    if (req.n < 1) req.n = 1;
    if (req.n > kImagineMaxGenerations) req.n = kImagineMaxGenerations;
  }

  struct Slot {
    std::string id, url, final_url, final_blob;
    bool pending_final = false; // a 100% frame without a completed status: wait for json
    bool completed = false;
  };

  EventSink &out;
  Send send;
  ImagineRequest req;
  od::ondemand::parser parser;
  PaddedBuffer buf;
  ImagineFrame frame;
  std::vector<Slot> slots;
  State state = State::Idle;
  int completed_slots = 0, images = 0, moderated = 0;
  size_t bad = 0;

  bool ended() const { return state == State::Done || state == State::Failed; }

  // An absolute http(s) URL for an image path (relative paths join the assets base); "" for a
  // `data:` URL, which is no location — the bytes come in `blob` (imagine_fuzz found it passed on).
  std::string absolute(std::string_view url) const {
    if (url.empty() || text::is_http_url(url)) return std::string(url);
    if (text::istarts_with(url, "data:")) return {};
    if (url.substr(0, 2) == "//") return "https:" + std::string(url);
    std::string base = req.assets_base;
    while (!base.empty() && base.back() == '/') base.pop_back();
    while (!url.empty() && url.front() == '/') url.remove_prefix(1);
    return base + "/" + std::string(url);
  }

  Slot &slot(std::string_view id) {
    for (auto &s : slots)
      if (s.id == id) return s;
    slots.emplace_back();
    slots.back().id.assign(id);
    return slots.back();
  }

  void emit_image(const Slot &s, int progress, std::string url, std::string blob, bool mod) {
    Event ev;
    ev.kind = Event::Kind::Image;
    ev.id = s.id;
    ev.url = std::move(url);
    ev.text = std::move(blob);
    ev.progress = progress;
    ev.moderated = mod;
    out.on_event(std::move(ev));
  }

  void complete(Slot &s, bool mod, std::string url, std::string blob) {
    s.completed = true;
    ++completed_slots;
    if (mod) {
      ++moderated;
      emit_image(s, 100, {}, {}, true);
    } else if (!url.empty() || !blob.empty()) {
      ++images;
      emit_image(s, 100, std::move(url), std::move(blob), false);
    } // else: completed without any image (nothing to show)
    if (completed_slots >= req.n) finish();
  }

  void finish() {
    if (ended()) return;
    if (images > 0) {
      state = State::Done;
      Event ev;
      ev.kind = Event::Kind::Done;
      out.on_event(std::move(ev));
    } else if (moderated > 0) {
      fail(Failure::Moderated, "Content moderated", "content_moderated");
    } else {
      fail(Failure::BadResponse, "the imagine socket completed without an image");
    }
  }

  void fail(Failure failure, std::string_view message, std::string_view code = {}) {
    if (ended()) return;
    state = State::Failed;
    Event ev;
    ev.kind = Event::Kind::Error;
    ev.failure = failure;
    ev.text = message;
    ev.ref = code;
    out.on_event(std::move(ev));
  }

  void act(const ImagineFrame &f) {
    if (f.has_request_id && f.request_id != req.request_id) return; // another request's
    if (f.type == "error" || is_error_status(f.status)) {
      std::string_view msg = !f.err_msg.empty()    ? f.err_msg
                             : !f.err_code.empty() ? f.err_code
                                                   : std::string_view("imagine error");
      return fail(classify_error_message(f.err_msg, f.err_code), msg, f.err_code);
    }
    if (f.image_id.empty()) return; // e.g. a status frame for the whole request
    if (f.type == "image") {
      Slot &s = slot(f.image_id);
      if (s.completed) return;
      std::string url = absolute(f.url);
      if (!url.empty()) s.url = url;
      if (is_done_status(f.status))
        return complete(s, f.moderated, url.empty() ? s.url : url, std::string(f.blob));
      if (f.progress >= 100) {
        s.pending_final = true;
        s.final_url = url.empty() ? s.url : url;
        s.final_blob.assign(f.blob);
        return;
      }
      return emit_image(s, f.progress < 0 ? 0 : f.progress, url.empty() ? s.url : url,
                        std::string(f.blob), false);
    }
    if (f.type == "json" && is_done_status(f.status)) {
      Slot &s = slot(f.image_id);
      if (s.completed) return;
      std::string url = absolute(f.url);
      std::string blob(f.blob);
      if (url.empty() && blob.empty() && s.pending_final) {
        url = std::move(s.final_url);
        blob = std::move(s.final_blob);
      }
      if (url.empty() && blob.empty()) url = s.url;
      return complete(s, f.moderated, std::move(url), std::move(blob));
    }
    // start_stage and other statuses: nothing to show.
  }
};

ImagineSession::ImagineSession(EventSink &out, Send send, ImagineRequest req)
    : impl_(std::make_unique<Impl>(out, std::move(send), std::move(req))) {}
ImagineSession::~ImagineSession() = default;

void ImagineSession::start(long long now_ms) {
  Impl &s = *impl_;
  if (s.state != State::Idle) return;
  s.state = State::Generating;
  s.send(imagine_reset_frame(now_ms));
  s.send(imagine_request_frame(s.req, now_ms));
}

void ImagineSession::on_frame(std::string_view frame) {
  Impl &s = *impl_;
  if (s.state != State::Generating) return;
  s.buf.assign(frame);
  if (read_frame(s.parser, s.buf, s.frame) != od::SUCCESS) {
    ++s.bad;
    return;
  }
  s.act(s.frame);
}

void ImagineSession::on_close() {
  Impl &s = *impl_;
  if (s.state != State::Generating) {
    if (s.state == State::Idle) s.fail(Failure::Network, "the imagine socket closed before start");
    return;
  }
  // Finals that only waited for their `completed` json frame still count — no more than the
  // images asked for (imagine_fuzz: a server announcing more slots than n at 100%).
  for (auto &slot : s.slots) {
    if (s.completed_slots >= s.req.n) break;
    if (slot.completed || !slot.pending_final) continue;
    slot.completed = true;
    ++s.completed_slots;
    ++s.images;
    s.emit_image(slot, 100, std::move(slot.final_url), std::move(slot.final_blob), false);
  }
  if (s.images > 0) return s.finish();
  s.fail(Failure::Network, "the imagine socket closed before the images completed");
}

bool ImagineSession::done() const {
  return impl_->ended();
}
ImagineSession::State ImagineSession::state() const {
  return impl_->state;
}
int ImagineSession::images_completed() const {
  return impl_->images;
}
int ImagineSession::slots_moderated() const {
  return impl_->moderated;
}
size_t ImagineSession::bad_frames() const {
  return impl_->bad;
}

} // namespace g2a::grok
