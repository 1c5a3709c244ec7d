// Image/Video progress and final events with per-asset deduplication.
#include "grok/media_tracker.h"

namespace g2a::grok {

namespace {

constexpr std::string_view kAssets = "https://assets.grok.com/";

// The comparable form of an asset URL: relative to the assets host, without a leading '/'.
std::string_view normal_path(std::string_view url) {
  if (url.substr(0, kAssets.size()) == kAssets) url.remove_prefix(kAssets.size());
  while (!url.empty() && url.front() == '/') url.remove_prefix(1);
  return url;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool looks_video(std::string_view url) {
  size_t q = url.find_first_of("?#");
  std::string_view path = url.substr(0, q);
  return ends_with(path, ".mp4") || ends_with(path, ".webm") || ends_with(path, ".mov") ||
         ends_with(path, ".m4v") || path.find("generated_video") != std::string_view::npos;
}

} // namespace

bool is_placeholder_url(std::string_view url) {
  if (url.empty() || url == "/") return true;
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view rest = url.substr(scheme + 3);
  size_t slash = rest.find_first_of("/?#");
  if (slash == std::string_view::npos) return true; // "https://host"
  std::string_view path = rest.substr(slash);
  return path == "/";
}

std::string_view asset_id_from_url(std::string_view url) {
  std::string_view p = url.substr(0, url.find_first_of("?#"));
  std::string_view seg;
  size_t g = p.find("generated/");
  if (g != std::string_view::npos) {
    seg = p.substr(g + 10);
    seg = seg.substr(0, seg.find('/'));
  } else {
    size_t last = p.rfind('/');
    if (last == std::string_view::npos || last == 0) {
      seg = p;
    } else {
      size_t prev = p.rfind('/', last - 1);
      seg = p.substr(prev == std::string_view::npos ? 0 : prev + 1,
                     last - (prev == std::string_view::npos ? 0 : prev + 1));
    }
  }
  size_t part = seg.rfind("-part-");
  if (part != std::string_view::npos) seg = seg.substr(0, part);
  return seg;
}

MediaTracker::Item &MediaTracker::item(std::vector<Item> &list, std::string_view id) {
  for (auto &it : list)
    if (it.id == id) return it;
  Item &it = list.emplace_back();
  it.id = id;
  return it;
}

void MediaTracker::emit(Event::Kind kind, Item &it, std::string_view url, int progress,
                        bool moderated) {
  Event ev;
  ev.kind = kind;
  ev.id = it.id;
  ev.url = url;
  ev.progress = progress;
  ev.moderated = moderated;
  if (kind == Event::Kind::Video) {
    ev.ref = it.post_id;
    if (progress == 100 && !moderated) ev.thumb = it.thumb;
  }
  it.progress = progress;
  if (progress == 100) {
    it.ended = true;
    if (!url.empty()) ended_urls_.insert(std::string(normal_path(url)));
  }
  any_ = true;
  out_.on_event(std::move(ev));
}

void MediaTracker::image(const MediaUpdate &u) {
  std::string_view id = u.id.empty() ? asset_id_from_url(u.url) : u.id;
  if (id.empty() && u.url.empty()) return;
  Item &it = item(images_, id);
  if (it.ended) return;
  bool has_url = !u.url.empty() && !is_placeholder_url(u.url);
  if (u.moderated) {
    emit(Event::Kind::Image, it, has_url ? u.url : std::string_view{}, 100, true);
    return;
  }
  bool final =
      (u.final || u.progress >= 100) && has_url && u.url.find("-part-") == std::string_view::npos;
  if (final && ended_urls_.count(std::string(normal_path(u.url)))) return;
  if (final) {
    emit(Event::Kind::Image, it, u.url, 100, false);
    return;
  }
  int p = u.progress < 0 ? 0 : (u.progress > 99 ? 99 : u.progress);
  if (p <= it.progress) return;
  emit(Event::Kind::Image, it, has_url ? u.url : std::string_view{}, p, false);
}

void MediaTracker::generated_image_url(std::string_view url) {
  if (is_placeholder_url(url)) return;
  if (ended_urls_.count(std::string(normal_path(url)))) return;
  std::string_view id = asset_id_from_url(url);
  Item &it = item(images_, id);
  if (it.ended) return;
  emit(Event::Kind::Image, it, url, 100, false);
}

void MediaTracker::video(const MediaUpdate &u) {
  std::string_view id = u.id.empty() ? asset_id_from_url(u.url) : u.id;
  Item &it = item(videos_, id);
  if (!u.thumb.empty()) it.thumb = u.thumb;
  if (!u.post_id.empty()) it.post_id = u.post_id;
  if (it.ended) return;
  bool has_url = !u.url.empty() && !is_placeholder_url(u.url);
  if (u.moderated) {
    emit(Event::Kind::Video, it, has_url ? u.url : std::string_view{}, 100, true);
    return;
  }
  if ((u.final || u.progress >= 100) && has_url) {
    emit(Event::Kind::Video, it, u.url, 100, false);
    return;
  }
  int p = u.progress < 0 ? 0 : (u.progress > 99 ? 99 : u.progress);
  if (p <= it.progress) return;
  emit(Event::Kind::Video, it, {}, p, false);
}

void MediaTracker::video_file(std::string_view url, bool known_video) {
  if (is_placeholder_url(url) || (!known_video && !looks_video(url))) return;
  if (ended_urls_.count(std::string(normal_path(url)))) return;
  for (auto &it : videos_) {
    if (!it.ended) {
      emit(Event::Kind::Video, it, url, 100, false);
      return;
    }
  }
  if (!videos_.empty()) return; // every announced video already ended
  Item &it = item(videos_, asset_id_from_url(url));
  emit(Event::Kind::Video, it, url, 100, false);
}

} // namespace g2a::grok
