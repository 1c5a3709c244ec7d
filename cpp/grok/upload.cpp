// Upload request bodies (multipart v2, legacy base64 JSON) and upload answers.
#include "grok/upload.h"

#include "core/bytes.h"
#include "core/json.h"
#include "grok/json_fields.h"

namespace g2a::grok {

namespace {

// The WHATWG form-data encoding of a name or filename inside a quoted parameter.
std::string quoted_param(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"')
      out.append("%22");
    else if (c == '\r')
      out.append("%0D");
    else if (c == '\n')
      out.append("%0A");
    else
      out.push_back(c);
  }
  return out;
}

// A header value on one line: CR and LF dropped.
std::string one_line(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '\r' && c != '\n') out.push_back(c);
  return out;
}

} // namespace

std::string upload_v2_multipart(const Upload &up, std::string_view boundary,
                                std::string_view file_source) {
  std::string name = up.filename.empty() ? std::string("file") : quoted_param(up.filename);
  std::string mime = up.mime.empty() ? std::string("application/octet-stream") : one_line(up.mime);
  std::string out;
  out.reserve(up.bytes.size() + 256 + file_source.size());
  out.append("--").append(boundary).append("\r\n");
  out.append("Content-Disposition: form-data; name=\"file\"; filename=\"")
      .append(name)
      .append("\"\r\n");
  out.append("Content-Type: ").append(mime).append("\r\n\r\n");
  out.append(up.bytes);
  out.append("\r\n");
  if (!file_source.empty()) {
    out.append("--").append(boundary).append("\r\n");
    out.append("Content-Disposition: form-data; name=\"file_source\"\r\n\r\n");
    out.append(file_source).append("\r\n");
  }
  out.append("--").append(boundary).append("--\r\n");
  return out;
}

std::string upload_v2_content_type(std::string_view boundary) {
  return "multipart/form-data; boundary=" + std::string(boundary);
}

std::string upload_legacy_body(const Upload &up) {
  json j = json::object();
  j["fileName"] = up.filename.empty() ? std::string("file") : up.filename;
  j["fileMimeType"] = up.mime.empty() ? std::string("application/octet-stream") : up.mime;
  j["content"] = base64_encode(up.bytes);
  return dump(j);
}

std::optional<UploadResult> parse_upload_v2_response(std::string_view body, std::string *error) {
  jf::Doc doc;
  if (!doc.parse(body)) {
    if (error) *error = "upload answer is not JSON";
    return std::nullopt;
  }
  auto top = jf::as_object(doc.root);
  if (!top) {
    if (error) *error = "upload answer is not a JSON object";
    return std::nullopt;
  }
  if (auto te = jf::field(*top, "terminalError"); te && !jf::is_null(*te)) {
    std::string text;
    if (auto t = jf::as_text(*te))
      text = *t;
    else if (auto o = jf::as_object(*te))
      text = jf::text_field(*o, "message").value_or(jf::text_field(*o, "code").value_or(""));
    bool empty_string = te->type() == simdjson::dom::element_type::STRING && text.empty();
    if (!empty_string) {
      if (error) *error = text.empty() ? "upload failed (terminalError)" : text;
      return std::nullopt;
    }
  }
  auto meta = jf::object_field(*top, "fileMetadata");
  UploadResult r;
  if (meta) {
    r.file_id = jf::text_field(*meta, "fileMetadataId").value_or("");
    if (r.file_id.empty()) r.file_id = jf::text_field(*meta, "fileId").value_or("");
    r.file_uri = jf::text_field(*meta, "fileUri").value_or("");
  }
  if (r.file_id.empty()) {
    if (error) *error = "upload answer has no file id";
    return std::nullopt;
  }
  return r;
}

std::optional<UploadResult> parse_upload_legacy_response(std::string_view body) {
  jf::Doc doc;
  if (!doc.parse(body)) return std::nullopt;
  auto top = jf::as_object(doc.root);
  if (!top) return std::nullopt;
  UploadResult r;
  r.file_id = jf::text_field(*top, "fileMetadataId").value_or("");
  r.file_uri = jf::text_field(*top, "fileUri").value_or("");
  if (r.file_id.empty()) return std::nullopt;
  return r;
}

} // namespace g2a::grok
