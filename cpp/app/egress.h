// Egress per upstream transport (#16). Each of the three upstream base settings —
// grok_base_url (REST and the home page), grok_ws_url (the chat and imagine WebSockets) and
// grok_assets_url (generated media) — is empty (the Grok URL from the [vars]), an http(s) URL
// (a relay you run, reached by public fetch), or `binding:NAME`: the request keeps the URL it
// would have had but goes out through the Worker binding NAME — a service binding
// ([[services]]) to a relay Worker, or a Workers VPC service ([[vpc_services]]) — instead of
// the public fetch. The effect carries the name; the shim only looks it up and calls its
// fetch(), and a name the Worker does not have is an error, never a public fetch.
#pragma once

#include "core/json.h"

#include <optional>
#include <string>
#include <string_view>

namespace g2a::app {

inline constexpr std::string_view kBindingPrefix = "binding:";

// The settings whose value may be `binding:NAME`.
bool accepts_binding(std::string_view setting_key);
// NAME of a `binding:NAME` value; nullopt when the value does not start with "binding:".
std::optional<std::string_view> binding_ref(std::string_view value);
// A binding name as wrangler declares it: [A-Za-z_][A-Za-z0-9_]*, at most 64 characters.
bool valid_binding_name(std::string_view name);
// The settings check of a `binding:…` value: an error message or nullopt.
std::optional<std::string> check_binding_value(std::string_view key, std::string_view value);

// A fetch / ws_open effect goes out through its `binding` field (fx::Fetch, fx::WsOpen); the
// shim answers binding_missing (fx::FetchResult) when the name is not bound. The message for that
// answer: which binding is missing and how to declare it.
std::string binding_missing_message(const std::string &binding);

} // namespace g2a::app
