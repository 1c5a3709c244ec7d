// Which decoder reads an attempt's upstream: Grok's REST NDJSON body, the mgw chat WebSocket
// or the imagine WebSocket — built behind answer::Decoder, so the sinks never ask which.
#pragma once

#include "answer/decoder.h"
#include "answer/events.h"
#include "grok/imagine_session.h"
#include "grok/mgw_session.h"
#include "grok/ndjson_decoder.h"

#include <functional>
#include <memory>
#include <string>

namespace g2a::app {

enum class UpstreamProtocol { Ndjson, Mgw, Imagine };

struct DecoderSpec {
  UpstreamProtocol protocol = UpstreamProtocol::Ndjson;
  grok::DecodeOptions decode;
  grok::MgwRequest mgw;         // Mgw only
  grok::ImagineRequest imagine; // Imagine only
};

// `send` writes one WebSocket frame upstream; `new_id` draws a fresh UUID.
std::unique_ptr<answer::Decoder> make_decoder(DecoderSpec spec, answer::EventSink &out,
                                              std::function<void(std::string)> send,
                                              std::function<std::string()> new_id);

} // namespace g2a::app
