// Test helpers for the Grok stream decoders: Events as JSON (only the fields that are set),
// a collecting EventSink, and fixture file I/O. Expected files are rewritten from the actual
// output when G2A_UPDATE_FIXTURES=1 (review the diff before committing).
#pragma once

#include "answer/events.h"
#include "core/json.h"
#include "grok/upstream_errors.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace g2a::test {

inline const char *event_kind_name(answer::Event::Kind k) {
  using K = answer::Event::Kind;
  switch (k) {
  case K::Meta:
    return "meta";
  case K::Text:
    return "text";
  case K::Reasoning:
    return "reasoning";
  case K::Citation:
    return "citation";
  case K::Source:
    return "source";
  case K::Image:
    return "image";
  case K::Video:
    return "video";
  case K::ToolCall:
    return "tool_call";
  case K::Error:
    return "error";
  case K::Done:
    return "done";
  }
  return "?";
}

inline json event_json(const answer::Event &e) {
  json j = {{"kind", event_kind_name(e.kind)}};
  if (!e.text.empty()) j["text"] = e.text;
  if (!e.id.empty()) j["id"] = e.id;
  if (!e.ref.empty()) j["ref"] = e.ref;
  if (!e.url.empty()) j["url"] = e.url;
  if (!e.title.empty()) j["title"] = e.title;
  if (!e.thumb.empty()) j["thumb"] = e.thumb;
  if (e.progress != -1) j["progress"] = e.progress;
  if (e.moderated) j["moderated"] = true;
  if (e.failure != answer::Failure::None) j["failure"] = answer::failure_name(e.failure);
  return j;
}

struct Collect : answer::EventSink {
  json events = json::array();
  void on_event(answer::Event &&ev) override { events.push_back(event_json(ev)); }
};

inline std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Rewrites the fixtures only when G2A_UPDATE_FIXTURES is exactly "1" (npm test refuses to run
// with it set at all).
inline bool update_fixtures() {
  const char *v = std::getenv("G2A_UPDATE_FIXTURES");
  return v && std::string(v) == "1";
}

// One event (or frame) per line, so fixture diffs read well.
inline std::string json_lines_array(const json &arr) {
  std::string s = "[\n";
  for (size_t i = 0; i < arr.size(); ++i) {
    s += "  " + dump(arr[i]);
    s += i + 1 < arr.size() ? ",\n" : "\n";
  }
  return s + "]\n";
}

inline void write_file(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

} // namespace g2a::test
