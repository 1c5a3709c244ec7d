// Every Grok web endpoint the gateway calls, and the page paths its requests claim to come
// from (the Referer statsig signs), in one place. Paths are relative to the deployment's
// GROK_BASE_URL (default kDefaultBaseUrl); WebSocket paths become wss:// URLs via ws_url().
#pragma once

#include <string_view>

namespace g2a::grok::endpoints {

inline constexpr std::string_view kDefaultBaseUrl = "https://grok.com";
inline constexpr std::string_view kDefaultAssetsUrl = "https://assets.grok.com";

// REST
inline constexpr std::string_view kNewConversation = "/rest/app-chat/conversations/new";
// A follow-up in an existing conversation: kConversations + <conversationId> + kResponses. Its
// answer has no conversation frame and its frames may lack the `response` wrapper.
inline constexpr std::string_view kConversations = "/rest/app-chat/conversations/";
inline constexpr std::string_view kResponses = "/responses";
inline constexpr std::string_view kUploadFile = "/rest/app-chat/upload-file";    // legacy JSON
inline constexpr std::string_view kUploadFileV2 = "/http/upload-file-v2/direct"; // multipart
inline constexpr std::string_view kRateLimits = "/rest/rate-limits";
inline constexpr std::string_view kMediaPostCreate = "/rest/media/post/create";
inline constexpr std::string_view kAuthSession = "/api/auth/session";

// WebSockets
inline constexpr std::string_view kMgwSocket = "/ws/mgw/?uid="; // followed by the user id
inline constexpr std::string_view kImagineSocket = "/ws/imagine/listen";

// Pages a request is made from (Referer paths)
inline constexpr std::string_view kImaginePage = "/imagine";
inline constexpr std::string_view kChatPage = "/c/"; // followed by the conversation id

} // namespace g2a::grok::endpoints
