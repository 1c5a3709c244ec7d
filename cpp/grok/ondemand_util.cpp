// The search-result reader shared by the REST and mgw decoders.
#include "grok/ondemand_util.h"

namespace g2a::grok::od {

namespace {

bool list_key(std::string_view k) {
  return k == "results" || k == "webpages" || k == "posts";
}

error_code read_at(ondemand::value &v, std::vector<SourceRef> &out, int depth);

// An object that is a result itself (url/title, X post fields) and/or holds result lists.
error_code read_object(ondemand::value &v, std::vector<SourceRef> &out, int depth) {
  SourceRef s;
  G2A_OD_TRY(each_field(v, [&](std::string_view k, ondemand::value &fv) -> error_code {
    if (list_key(k)) return read_at(fv, out, depth + 1);
    if (k == "url" || k == "link") return str(fv, s.url);
    if (k == "title") return str(fv, s.title);
    if (k == "name" && s.title.empty()) return str(fv, s.title);
    if (k == "postId" || k == "post_id") return str(fv, s.x_post);
    if (k == "username" || k == "userhandle" || k == "userHandle" || k == "handle")
      return str(fv, s.x_user);
    if (k == "text") return str(fv, s.text);
    return SUCCESS;
  }));
  if (!s.url.empty() || (!s.x_user.empty() && !s.x_post.empty())) out.push_back(s);
  return SUCCESS;
}

// Nesting is bounded: deeper lists are skipped (the wasm stack is small).
error_code read_at(ondemand::value &v, std::vector<SourceRef> &out, int depth) {
  if (depth > 4) return SUCCESS;
  ondemand::json_type t;
  G2A_OD_TRY(type_of(v, t));
  if (t == ondemand::json_type::array)
    return each_element(v, [&](ondemand::value &ev) { return read_at(ev, out, depth + 1); });
  if (t == ondemand::json_type::object) return read_object(v, out, depth);
  return SUCCESS;
}

} // namespace

error_code read_sources(ondemand::value &v, std::vector<SourceRef> &out) {
  return read_at(v, out, 0);
}

} // namespace g2a::grok::od
