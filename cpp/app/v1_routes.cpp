// The /v1 route table.
#include "app/v1_routes.h"

namespace g2a::app {

namespace {
const V1Route kRoutes[] = {
    {"chat.completions", "POST", "/v1/chat/completions", false, true, chat_completions},
    {"models.list", "GET", "/v1/models", false, false, models_list},
    {"images.generations", "POST", "/v1/images/generations", false, true, images_generations},
    {"images.edits", "POST", "/v1/images/edits", false, true, images_edits},
    {"images.method", "GET", "/v1/images/method", false, false, images_method},
    {"models.get", "GET", "/v1/models/", true, false, models_get},
    {"messages", "POST", "/v1/messages", false, true, messages_create, ErrorDialect::Anthropic},
    {"messages.count_tokens", "POST", "/v1/messages/count_tokens", false, true,
     messages_count_tokens, ErrorDialect::Anthropic},
    {"responses.create", "POST", "/v1/responses", false, true, responses_create},
    {"responses.get", "GET", "/v1/responses/", true, false, responses_get},
    {"responses.delete", "DELETE", "/v1/responses/", true, false, responses_delete},
    {"videos.create", "POST", "/v1/videos", false, true, videos_create},
    {"videos.list", "GET", "/v1/videos", false, false, videos_list},
    {"videos.get", "GET", "/v1/videos/", true, false, videos_get},
    {"videos.delete", "DELETE", "/v1/videos/", true, false, videos_delete},
    {"videos.remix", "POST", "/v1/videos/", true, true, videos_remix},
};
} // namespace

const V1Route *find_v1_route(std::string_view path, std::string_view method) {
  const V1Route *first = nullptr;
  for (const auto &r : kRoutes) {
    bool match = r.prefix ? path.substr(0, r.path.size()) == r.path && path.size() > r.path.size()
                          : path == r.path;
    if (!match) continue;
    if (method.empty() || r.method == method || (method == "HEAD" && r.method == "GET")) return &r;
    if (!first) first = &r;
  }
  return first;
}

ErrorDialect dialect_for_unrouted(const Request &req) {
  if (req.header("anthropic-version") || req.path.rfind("/v1/messages", 0) == 0)
    return ErrorDialect::Anthropic;
  return ErrorDialect::OpenAI;
}

} // namespace g2a::app
