// The neutral answer types (cpp/answer/events.h) the Grok decoders produce, named in the grok
// namespace so the decoders read naturally. Nothing here is Grok-specific.
#pragma once

#include "answer/events.h"

namespace g2a::grok {
using answer::Event;
using answer::EventSink;
using answer::Failure;
using answer::failure_name;
} // namespace g2a::grok
