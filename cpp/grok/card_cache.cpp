// Card parsing, citation numbering and source deduplication (see card_cache.h).
#include "grok/card_cache.h"
#include "core/text.h"

namespace g2a::grok {

using namespace od;

void CardCache::add_attachment(std::string_view json) {
  buf_.assign(json);
  ondemand::document doc;
  ondemand::object root;
  bool has_data = false;
  bool inner_ok = false;
  auto run = [&]() -> error_code {
    G2A_OD_TRY(parser_.iterate(buf_.data(), buf_.size(), buf_.capacity()).get(doc));
    G2A_OD_TRY(doc.get_object().get(root));
    for (auto fr : root) {
      ondemand::field f;
      G2A_OD_TRY(std::move(fr).get(f));
      if (f.escaped_key() != "jsonData") continue;
      has_data = true;
      ondemand::value v = f.value();
      ondemand::json_type t;
      G2A_OD_TRY(v.type().get(t));
      std::string_view text;
      if (t == ondemand::json_type::string) {
        G2A_OD_TRY(v.get_string().get(text));
      } else if (t == ondemand::json_type::object) {
        G2A_OD_TRY(v.raw_json().get(text));
      } else {
        continue;
      }
      inner_.assign(text);
      inner_ok = true;
    }
    return SUCCESS;
  };
  if (run() != SUCCESS) {
    ++bad_cards_;
    return;
  }
  if (!has_data) {
    parse_card(buf_.data(), buf_.size(), buf_.capacity()); // the attachment is the card
  } else if (inner_ok) {
    parse_card(inner_.data(), inner_.size(), inner_.capacity());
  }
}

void CardCache::add_card(std::string_view json) {
  inner_.assign(json);
  parse_card(inner_.data(), inner_.size(), inner_.capacity());
}

bool CardCache::parse_card(const char *p, size_t len, size_t cap) {
  std::string_view id, type, card_type, url, title;
  MediaUpdate img;
  std::string_view err_code;
  bool has_chunk = false;
  auto read_chunk = [&](std::string_view k, ondemand::value &v) -> error_code {
    if (k == "imageUuid" || k == "image_uuid" || k == "imageId") return str(v, img.id);
    if (k == "imageUrl" || k == "image_url" || k == "url") return str(v, img.url);
    if (k == "progress") return integer(v, img.progress);
    if (k == "moderated") return boolean(v, img.moderated);
    if (k == "systemErrCode" || k == "system_err_code") return str(v, err_code);
    return SUCCESS;
  };
  auto read_image = [&](std::string_view k, ondemand::value &v) -> error_code {
    if (k == "title" && title.empty()) return str(v, title);
    if ((k == "original" || k == "link") && url.empty()) return str(v, url);
    return SUCCESS;
  };
  auto run = [&]() -> error_code {
    ondemand::document doc;
    G2A_OD_TRY(parser_.iterate(p, len, cap).get(doc));
    ondemand::object root;
    G2A_OD_TRY(doc.get_object().get(root));
    for (auto fr : root) {
      ondemand::field f;
      G2A_OD_TRY(std::move(fr).get(f));
      std::string_view k = f.escaped_key();
      ondemand::value v = f.value();
      if (k == "id")
        G2A_OD_TRY(str(v, id));
      else if (k == "type")
        G2A_OD_TRY(str(v, type));
      else if (k == "cardType")
        G2A_OD_TRY(str(v, card_type));
      else if (k == "url")
        G2A_OD_TRY(str(v, url));
      else if (k == "title")
        G2A_OD_TRY(str(v, title));
      else if (k == "image_chunk" || k == "imageChunk") {
        error_code e;
        if (is(v, ondemand::json_type::object, e)) has_chunk = true;
        G2A_OD_TRY(e);
        G2A_OD_TRY(each_field(v, read_chunk));
      } else if (k == "image") {
        G2A_OD_TRY(each_field(v, read_image));
      }
    }
    return SUCCESS;
  };
  if (run() != SUCCESS) {
    ++bad_cards_;
    return false;
  }
  if (has_chunk) {
    if (!err_code.empty()) {
      if (system_error_.empty()) system_error_ = err_code;
    } else {
      img.final = img.progress >= 100;
      media_.image(img);
    }
  }
  if (!id.empty()) {
    Card *c = nullptr;
    for (auto &x : cards_)
      if (x.id == id) c = &x;
    if (!c) {
      c = &cards_.emplace_back();
      c->id = id;
    }
    if (!url.empty()) c->url = url;
    if (!title.empty()) c->title = title;
    if (type == "render_inline_citation" || card_type.find("citation") != std::string_view::npos)
      c->citation = true;
  }
  return true;
}

bool CardCache::render(std::string_view card_id, std::string_view type) {
  for (const auto &c : cards_) {
    if (c.id != card_id) continue;
    if (c.url.empty() || !(c.citation || type == "render_inline_citation")) return false;
    cite(c.url, c.title); // cite() never touches cards_
    return true;
  }
  return false;
}

void CardCache::cite(std::string_view url, std::string_view title) {
  if (url.empty()) return;
  size_t n = 0;
  while (n < cited_.size() && cited_[n] != url) ++n;
  if (n == cited_.size()) cited_.emplace_back(url);
  Event ev;
  ev.kind = Event::Kind::Citation;
  ev.text = "[[";
  ev.text += std::to_string(n + 1);
  ev.text += "]](";
  ev.text += url;
  ev.text += ')';
  ev.url = url;
  if (!title.empty()) {
    ev.title = title;
  } else {
    auto it = sources_.find(std::string(url));
    if (it != sources_.end()) ev.title = it->second;
  }
  out_.on_event(std::move(ev));
}

void CardCache::source(const SourceRef &s) {
  std::string url, handle;
  std::string_view title = s.title;
  if (!s.url.empty()) {
    url = s.url;
  } else {
    url = "https://x.com/";
    url += s.x_user;
    url += "/status/";
    url += s.x_post;
    if (!s.text.empty())
      title = text::utf8_prefix(s.text, 120);
    else if (title.empty())
      title = handle.append("@").append(s.x_user);
  }
  auto [it, fresh] = sources_.emplace(std::move(url), std::string(title));
  if (!fresh) return;
  Event ev;
  ev.kind = Event::Kind::Source;
  ev.url = it->first;
  ev.title = it->second;
  out_.on_event(std::move(ev));
}

} // namespace g2a::grok
