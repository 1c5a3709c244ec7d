// make_decoder: one constructor call per upstream protocol.
#include "app/upstream_decoder.h"

namespace g2a::app {

std::unique_ptr<answer::Decoder> make_decoder(DecoderSpec spec, answer::EventSink &out,
                                              std::function<void(std::string)> send,
                                              std::function<std::string()> new_id) {
  switch (spec.protocol) {
  case UpstreamProtocol::Mgw:
    return std::make_unique<grok::MgwSession>(out, std::move(send), std::move(new_id),
                                              std::move(spec.mgw), std::move(spec.decode));
  case UpstreamProtocol::Imagine:
    return std::make_unique<grok::ImagineSession>(out, std::move(send), std::move(spec.imagine));
  case UpstreamProtocol::Ndjson:
    break;
  }
  return std::make_unique<grok::NdjsonDecoder>(out, std::move(spec.decode));
}

} // namespace g2a::app
