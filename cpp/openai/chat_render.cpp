// Chat Completions SSE and JSON output. The streaming hot path (content and reasoning deltas)
// appends a precomputed chunk head, the escaped text and a constant tail; nlohmann/json only
// builds the rare frames (annotations, usage, errors) and the non-stream body.
#include "openai/chat_render.h"

#include "openai/json_escape.h"

namespace g2a::openai {
namespace {

constexpr std::string_view kTail = "},\"logprobs\":null,\"finish_reason\":null}]}\n\n";

} // namespace

ChatStreamRenderer::ChatStreamRenderer(ChatRenderOptions opt, std::string &out)
    : ChatAssembler(std::move(opt)), out_(out) {
  const auto &o = options();
  base_ = "{\"id\":";
  append_json_string(base_, o.id);
  base_ += ",\"object\":\"chat.completion.chunk\",\"created\":";
  base_ += std::to_string(o.created);
  base_ += ",\"model\":";
  append_json_string(base_, o.model);
  base_ += ',';
  head_ = "data: " + base_ + "\"choices\":[{\"index\":0,\"delta\":{";
}

void ChatStreamRenderer::begin() {
  if (begun_ || ended_) return;
  begun_ = true;
  out_ += head_;
  out_ += "\"role\":\"assistant\",\"content\":\"\"";
  out_ += kTail;
}

void ChatStreamRenderer::on_event(answer::Event &&ev) {
  if (ended_) return;
  ChatAssembler::on_event(std::move(ev));
}

void ChatStreamRenderer::open(Open kind) {
  if (open_ == kind) return;
  flush();
  begin();
  out_ += head_;
  out_ += kind == Open::Content ? "\"content\":\"" : "\"reasoning_content\":\"";
  open_ = kind;
}

void ChatStreamRenderer::put_content(std::string_view text) {
  open(Open::Content);
  append_json_escaped(out_, text);
}

void ChatStreamRenderer::put_reasoning(std::string_view text) {
  open(Open::Reasoning);
  append_json_escaped(out_, text);
}

void ChatStreamRenderer::put_annotation(const Annotation &a) {
  if (open_ != Open::Content) return; // always open: called right after its text
  if (!annotations_.empty()) annotations_ += ',';
  annotations_ += dump(annotation_json(a));
}

void ChatStreamRenderer::put_tool_call(size_t index, const ChatToolCall &call) {
  flush();
  begin();
  out_ += head_;
  out_ += "\"tool_calls\":[{\"index\":" + std::to_string(index) + ",\"id\":";
  append_json_string(out_, call.id);
  out_ += ",\"type\":\"function\",\"function\":{\"name\":";
  append_json_string(out_, call.name);
  out_ += ",\"arguments\":\"\"}}]";
  out_ += kTail;
  out_ += head_;
  out_ += "\"tool_calls\":[{\"index\":" + std::to_string(index) + ",\"function\":{\"arguments\":";
  append_json_string(out_, call.arguments);
  out_ += "}}]";
  out_ += kTail;
}

void ChatStreamRenderer::flush() {
  if (open_ == Open::None) return;
  out_ += '"';
  if (!annotations_.empty()) {
    out_ += ",\"annotations\":[";
    out_ += annotations_;
    out_ += ']';
    annotations_.clear();
  }
  out_ += kTail;
  open_ = Open::None;
}

void ChatStreamRenderer::finish(std::string_view finish_reason) {
  if (ended_) return;
  begin();
  close_message();
  flush();
  out_ += head_;
  out_ += "},\"logprobs\":null,\"finish_reason\":";
  append_json_string(out_, finish_reason.empty() ? std::string_view("stop") : finish_reason);
  out_ += "}]}\n\n";
  if (options().include_usage) {
    out_ += "data: ";
    out_ += base_;
    out_ += "\"choices\":[],\"usage\":";
    out_ += dump(usage_json(usage()));
    out_ += "}\n\n";
  }
  out_ += "data: [DONE]\n\n";
  ended_ = true;
}

void ChatStreamRenderer::fail(const ApiError &e) {
  if (ended_) return;
  flush();
  out_ += error_sse_event(e);
  ended_ = true;
}

ChatJsonRenderer::ChatJsonRenderer(ChatRenderOptions opt) : ChatAssembler(std::move(opt)) {}

std::string ChatJsonRenderer::render(std::string_view finish_reason) const {
  const auto &o = options();
  std::string text = final_content();
  json message{{"role", "assistant"},
               {"content", text.empty() && !tool_calls().empty() ? json(nullptr) : json(text)},
               {"refusal", nullptr}};
  if (!tool_calls().empty()) {
    json calls = json::array();
    for (const auto &c : tool_calls())
      calls.push_back({{"id", c.id},
                       {"type", "function"},
                       {"function", {{"name", c.name}, {"arguments", c.arguments}}}});
    message["tool_calls"] = std::move(calls);
  }
  if (!annotations_.empty()) {
    json list = json::array();
    for (const auto &a : annotations_) list.push_back(annotation_json(a));
    message["annotations"] = std::move(list);
  }
  if (o.reasoning == ReasoningOutput::Content && !reasoning_so_far().empty())
    message["reasoning_content"] = reasoning_so_far();
  json choice{{"index", 0},
              {"message", std::move(message)},
              {"logprobs", nullptr},
              {"finish_reason", finish_reason.empty() ? "stop" : std::string(finish_reason)}};
  json body{{"id", o.id},
            {"object", "chat.completion"},
            {"created", o.created},
            {"model", o.model},
            {"choices", json::array({std::move(choice)})},
            {"usage", usage_json(usage())}};
  return dump(body);
}

} // namespace g2a::openai
