// Parses the /api/auth/session answer into a user id and a credential state.
#include "grok/auth_session.h"

#include "grok/json_fields.h"

namespace g2a::grok {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char &c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

std::string first_id(const jf::object &o, std::initializer_list<std::string_view> keys) {
  for (auto k : keys)
    if (auto v = jf::text_field(o, k); v && !v->empty()) return *v;
  return {};
}

} // namespace

SessionInfo parse_auth_session(std::string_view body) {
  using State = SessionInfo::State;
  SessionInfo info;
  jf::Doc doc;
  if (!doc.parse(body)) return info;
  auto top = jf::as_object(doc.root);
  if (!top) return info;

  std::string status = lower(jf::text_field(*top, "status").value_or(""));
  std::string error;
  if (auto e = jf::field(*top, "error")) {
    if (auto t = jf::as_text(*e))
      error = lower(*t);
    else if (auto eo = jf::as_object(*e))
      error = lower(jf::text_field(*eo, "message").value_or("") + " " +
                    jf::text_field(*eo, "code").value_or(""));
  }
  if (status == "blocked" || error.find("blocked") != std::string::npos) {
    info.state = State::Blocked;
    return info;
  }
  if (status == "unauthenticated") {
    info.state = State::Unauthenticated;
    return info;
  }

  if (auto session = jf::object_field(*top, "session"))
    info.user_id = first_id(*session, {"userId"});
  if (info.user_id.empty())
    if (auto user = jf::object_field(*top, "user"))
      info.user_id = first_id(*user, {"id", "userId", "sub"});
  if (info.user_id.empty()) info.user_id = first_id(*top, {"id", "userId", "sub"});

  if (!info.user_id.empty() || status == "authenticated") info.state = State::Authenticated;
  return info;
}

} // namespace g2a::grok
