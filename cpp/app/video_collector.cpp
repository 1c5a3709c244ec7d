// VideoCollector (see video_collector.h).
#include "app/video_collector.h"

namespace g2a::app {

void VideoCollector::on_event(answer::Event &&ev) {
  if (ev.kind != answer::Event::Kind::Video) return;
  if (ev.moderated) {
    out_.moderated = true;
    return;
  }
  if (ev.progress > out_.progress) out_.progress = ev.progress;
  if (!ev.url.empty() && out_.video_link.empty()) {
    out_.video_link = ev.url;
    out_.thumb_link = ev.thumb;
  }
}

} // namespace g2a::app
