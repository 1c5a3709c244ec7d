// Path segments of a routed request: the resource id (and what follows it) below a route's
// prefix, as the item routes (/v1/responses/{id}, /v1/videos/{id}/content) read them.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace g2a {

// "{prefix}{id}[/{sub}]" → {id percent-decoded, sub as sent} ("" for what is absent). `sub`
// is everything after the id's '/', further slashes included. A path outside `prefix` has
// neither.
std::pair<std::string, std::string> id_and_sub(std::string_view path, std::string_view prefix);

} // namespace g2a
