// Path segments below a route's prefix (see path.h).
#include "http/path.h"

#include "http/request.h"

namespace g2a {

std::pair<std::string, std::string> id_and_sub(std::string_view path, std::string_view prefix) {
  if (path.substr(0, prefix.size()) != prefix) return {};
  std::string_view rest = path.substr(prefix.size());
  size_t slash = rest.find('/');
  std::string_view sub =
      slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  return {percent_decode(rest.substr(0, slash)), std::string(sub)};
}

} // namespace g2a
