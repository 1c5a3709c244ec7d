// File uploads to Grok (reference §2.5, seed §4.1): the newest multipart endpoint
// POST /http/upload-file-v2/direct and the legacy JSON POST /rest/app-chat/upload-file,
// their request bodies and their answers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace g2a::grok {

struct Upload {
  std::string filename, mime;
  std::string_view bytes;
};

// RFC 7578 body: part "file" (filename + Content-Type; a missing name becomes "file", a
// missing type application/octet-stream) and, when file_source is not empty, a field
// "file_source" (e.g. IMAGINE_SELF_UPLOAD_FILE_SOURCE). The boundary is the caller's (random
// bytes from the shim) and must not occur in the bytes.
std::string upload_v2_multipart(const Upload &upload, std::string_view boundary,
                                std::string_view file_source = {});
std::string upload_v2_content_type(std::string_view boundary); // multipart/form-data; boundary=…

// {"fileName":…,"fileMimeType":…,"content":"<base64>"} (sent as text/plain;charset=UTF-8).
std::string upload_legacy_body(const Upload &upload);

struct UploadResult {
  std::string file_id;  // the file metadata id that chat payloads attach
  std::string file_uri; // users/<uid>/<fileId>/content (relative to the assets host)
};

// {uploadId, fileMetadata:{fileMetadataId, fileId, fileUri}, terminalError}; nullopt when
// terminalError is set (its text goes to *error) or no id is present.
std::optional<UploadResult> parse_upload_v2_response(std::string_view body,
                                                     std::string *error = nullptr);
// {fileMetadataId, fileUri, …}; nullopt without an id.
std::optional<UploadResult> parse_upload_legacy_response(std::string_view body);

} // namespace g2a::grok
