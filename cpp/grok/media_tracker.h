// Image and Video events for one answer, whatever frame announced them (REST card image
// chunks, streamingImage/VideoGenerationResponse, modelResponse URL lists, mgw card
// attachments): progress only moves forward, each image/video ends once (final or
// moderated), and the same asset announced twice is emitted once.
#pragma once

#include "grok/neutral.h"

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace g2a::grok {

struct MediaUpdate {
  std::string_view id;      // upstream id (imageUuid, videoId, …); derived from the url if empty
  std::string_view url;     // asset path or absolute URL
  std::string_view thumb;   // video thumbnail
  std::string_view post_id; // video post id (Event.ref), for polling a late URL
  int progress = -1;
  bool final = false; // the asset is complete (still needs a url to be emitted as final)
  bool moderated = false;
};

// "" , "/" or an absolute URL whose path is "/" : what upstream sends for "no image".
bool is_placeholder_url(std::string_view url);
// The asset id inside a path: the segment after `generated/`, else the directory holding the
// file; a `-part-N` preview suffix is removed.
std::string_view asset_id_from_url(std::string_view url);

class MediaTracker {
public:
  explicit MediaTracker(EventSink &out) : out_(out) {}

  void image(const MediaUpdate &u);
  void generated_image_url(std::string_view url); // modelResponse.generatedImageUrls entry
  void video(const MediaUpdate &u);
  // A file of the final answer (modelResponse.fileAttachments / asset metadata): completes a
  // pending video; `known_video` says the caller knows it is a video (e.g. from its MIME type).
  void video_file(std::string_view url, bool known_video);
  bool any() const { return any_; } // an Image or Video event was emitted

private:
  struct Item {
    std::string id;
    std::string thumb, post_id; // videos: last seen
    int progress = -1;
    bool ended = false;
  };
  Item &item(std::vector<Item> &list, std::string_view id);
  void emit(Event::Kind kind, Item &it, std::string_view url, int progress, bool moderated);

  EventSink &out_;
  std::vector<Item> images_, videos_;
  std::unordered_set<std::string> ended_urls_; // normalised paths of ended assets
  bool any_ = false;
};

} // namespace g2a::grok
