// Cards and citations shared by the REST and mgw decoders: caches the cards Grok attaches to
// an answer (citation cards, searched images, generated-image chunks), turns inline-citation
// placeholders into numbered Citation events (one number per unique url, in order), emits
// Source events once per url, and forwards generated-image chunks to the MediaTracker.
#pragma once

#include "grok/media_tracker.h"
#include "grok/neutral.h"
#include "grok/ondemand_util.h"
#include "grok/padded_buffer.h"

#include <simdjson.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace g2a::grok {

class CardCache {
public:
  CardCache(EventSink &out, MediaTracker &media) : out_(out), media_(media) {}

  // A card attachment: `{"jsonData": "<card JSON>" | {card}}` or a bare card object.
  void add_attachment(std::string_view json);
  // One card's JSON text (`jsonData`, `cardAttachmentsJson[i]`). Unparseable cards are ignored.
  void add_card(std::string_view json);
  // A `<grok:render card_id=… type=…>` placeholder: emits a Citation when it names a citation
  // card; searched/generated images, files and unknown cards insert nothing. True if emitted.
  bool render(std::string_view card_id, std::string_view type);
  // An inline citation of `url` (mgw render_citation, citation cards).
  void cite(std::string_view url, std::string_view title);
  // A search result; emitted once per url. X posts become https://x.com/<user>/status/<id>.
  void source(const od::SourceRef &s);

  // An image chunk's systemErrCode (e.g. "rate_limit"), when one was seen.
  std::string_view system_error() const { return system_error_; }
  size_t bad_cards() const { return bad_cards_; }

private:
  struct Card {
    std::string id, url, title;
    bool citation = false;
  };
  bool parse_card(const char *p, size_t len, size_t cap);

  EventSink &out_;
  MediaTracker &media_;
  simdjson::ondemand::parser parser_; // own parser: the caller's document stays valid
  PaddedBuffer buf_, inner_;
  std::vector<Card> cards_;
  std::vector<std::string> cited_;                       // cited urls, numbered by position + 1
  std::unordered_map<std::string, std::string> sources_; // url → title
  std::string system_error_;
  size_t bad_cards_ = 0;
};

} // namespace g2a::grok
