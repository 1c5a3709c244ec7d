// Image attempts.
#include "app/image_attempts.h"
#include "app/egress.h"
#include "grok/endpoints.h"

#include "app/chat_transport.h"
#include "app/grok_rest.h"
#include "app/media_links.h"
#include "grok/cookies.h"
#include "grok/media_payload.h"
#include "grok/upstream_errors.h"
#include "grok/upstream_headers.h"

namespace g2a::app {

namespace {

// Pumps `source` through the sink until it is done, failed, or the client left.
Task<void> pump_media(Ctx &cx, MediaSink &sink, int source, Timeouts t, MediaResult &out) {
  sink.start(cx);
  PumpResult pr = co_await cx.pump(source, sink, t);
  if (pr.end == PumpEnd::ClientGone)
    out.client_gone = true;
  else if (pr.end != PumpEnd::Stopped)
    sink.source_ended(cx, pr.end, pr.detail);
  if (pr.end != PumpEnd::Eof) cx.cancel_source(source);
  for (const auto &img : sink.images()) out.images.push_back(img);
  out.moderated += sink.moderated();
  if (!sink.fault().ok()) out.fault = sink.fault();
}

void no_images(MediaResult &out) {
  if (!out.fault.ok() || !out.images.empty() || out.client_gone) return;
  out.fault = out.moderated ? answer::Fault{answer::Failure::Moderated, "every image was moderated"}
                            : answer::Fault{answer::Failure::BadResponse, "no image in the answer"};
}

} // namespace

Task<MediaResult> imagine_images(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok,
                                 const ImageJob &job, int want, ImageStreamState &stream) {
  MediaResult out;
  fx::WsOpen open{ws_url(cfg.ws_base, grok::endpoints::kImagineSocket),
                  grok::ws_headers(cfg.profile, grok::build_cookie(tok.sso, cfg.cookies)),
                  cfg.ws_binding};
  auto res = co_await cx.run({fx::effect(std::move(open))});
  const auto r = fx::FetchResult::of(fx::result_at(res));
  if (r.binding_missing) {
    out.fault = {answer::Failure::EgressUnavailable, binding_missing_message(cfg.ws_binding)};
    co_return out;
  }
  int status = r.status;
  if (!r.ok || status != 101 || !r.has_source()) {
    out.fault = handshake_fault(r, "imagine");
    co_return out;
  }
  int source = r.source;
  grok::ImagineRequest ir;
  ir.prompt = job.prompt;
  ir.aspect_ratio = job.aspect_ratio;
  ir.request_id = cx.uuid4();
  ir.n = std::min(want, grok::kImagineMaxGenerations);
  ir.pro = job.pro;
  ir.assets_base = cfg.profile.assets_url;
  DecoderSpec spec;
  spec.protocol = UpstreamProtocol::Imagine;
  spec.decode = cfg.decode;
  spec.imagine = ir;
  MediaSink sink(std::move(spec), source, ir.n, stream);
  Timeouts t = cfg.timeouts;
  co_await pump_media(cx, sink, source, t, out);
  no_images(out);
  co_return out;
}

Task<MediaResult> chat_images(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok,
                              const ImageJob &job, int want, ImageStreamState &stream) {
  MediaResult out;
  // Each conversation yields up to two images; stop at the first failure.
  for (int call = 0; call < (want + 1) / 2 + 1 && static_cast<int>(out.images.size()) < want;
       ++call) {
    int ask = std::min(2, want - static_cast<int>(out.images.size()));
    TransportRequest treq;
    treq.model = job.model;
    treq.prompt = "Drawing: " + job.prompt;
    treq.image_count = ask;
    Transport t = co_await open_chat_transport(cx, cfg, tok, treq);
    if (!t.fault.ok()) {
      out.fault = t.fault;
      break;
    }
    grok::MgwRequest mr;
    mr.mode = std::string(job.model->mode);
    mr.prompt = treq.prompt;
    mr.image_count = ask;
    mr.temporary = cfg.temporary;
    mr.disable_memory = cfg.disable_memory;
    DecoderSpec spec;
    spec.protocol = t.mgw ? UpstreamProtocol::Mgw : UpstreamProtocol::Ndjson;
    spec.decode = cfg.decode;
    spec.mgw = mr;
    MediaSink sink(std::move(spec), t.source, ask, stream);
    Timeouts tm = cfg.timeouts;
    if (t.mgw) tm.tick_ms = grok::MgwSession::kHeartbeatMs;
    size_t before = out.images.size();
    co_await pump_media(cx, sink, t.source, tm, out);
    if (out.client_gone || !out.fault.ok()) break;
    if (out.images.size() == before) break; // an answer without images: asking again won't help
  }
  if (!out.images.empty() && !out.fault.ok() && !out.client_gone)
    out.fault = {}; // a shorter list is an answer
  no_images(out);
  co_return out;
}

Task<MediaResult> edit_images(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok,
                              const ImageJob &job, ImageStreamState &stream) {
  MediaResult out;
  std::string cookie = grok::build_cookie(tok.sso, cfg.cookies);
  auto uploaded = co_await upload_images(cx, cfg, cookie, job.edit_images);
  if (const answer::Fault *f = uploaded.error_if()) {
    out.fault = *f;
    co_return out;
  }
  const UploadedFiles &up = uploaded.value();
  grok::ImageEditPayload p;
  p.prompt = job.prompt;
  p.file_ids = up.file_ids;
  p.aspect_ratio = job.aspect_ratio;
  for (const auto &uri : up.file_uris)
    p.image_urls.push_back(absolute_asset_url(cfg.profile.assets_url, uri));
  for (int form = 0; form < 2; ++form) {
    TransportRequest treq;
    treq.model = job.model;
    treq.rest_body = form == 0 ? grok::image_edit_body(p) : grok::image_edit_body_legacy(p);
    treq.referer = grok::endpoints::kImaginePage;
    Transport t = co_await open_chat_transport(cx, cfg, tok, treq);
    if (!t.fault.ok()) {
      out.fault = t.fault;
      // The newest form refused for a reason that is not the account's: try the legacy form.
      if (form == 0 && (t.fault.failure == answer::Failure::BadResponse ||
                        t.fault.failure == answer::Failure::ModelUnavailable))
        continue;
      co_return out;
    }
    out.fault = {}; // the legacy form was accepted
    DecoderSpec spec;
    spec.decode = cfg.decode;
    MediaSink sink(std::move(spec), t.source, std::max(1, job.n), stream);
    co_await pump_media(cx, sink, t.source, cfg.timeouts, out);
    break;
  }
  if (!out.images.empty() && !out.fault.ok() && !out.client_gone) out.fault = {};
  no_images(out);
  co_return out;
}

} // namespace g2a::app
