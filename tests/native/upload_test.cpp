// Grok uploads (grok/upload.h): the v2 multipart body, the legacy JSON body, and both answers.
#include "grok/upload.h"

#include "core/bytes.h"
#include "core/json.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::grok;

TEST(UploadV2, MultipartBody) {
  std::string bytes("\x89PNG\r\n\x1a\n\0\xff", 10);
  Upload up{"cat.png", "image/png", bytes};
  std::string body =
      upload_v2_multipart(up, "----g2a0123456789", "IMAGINE_SELF_UPLOAD_FILE_SOURCE");
  std::string want = "------g2a0123456789\r\n"
                     "Content-Disposition: form-data; name=\"file\"; filename=\"cat.png\"\r\n"
                     "Content-Type: image/png\r\n"
                     "\r\n" +
                     bytes +
                     "\r\n"
                     "------g2a0123456789\r\n"
                     "Content-Disposition: form-data; name=\"file_source\"\r\n"
                     "\r\n"
                     "IMAGINE_SELF_UPLOAD_FILE_SOURCE\r\n"
                     "------g2a0123456789--\r\n";
  EXPECT_EQ(body, want);
  EXPECT_EQ(upload_v2_content_type("----g2a0123456789"),
            "multipart/form-data; boundary=----g2a0123456789");
}

TEST(UploadV2, OmitsFileSourceAndEscapesNames) {
  Upload up{"a\"b\r\nc.txt", "text/plain\r\nX-Evil: 1", "hi"};
  std::string body = upload_v2_multipart(up, "B", "");
  EXPECT_EQ(body, "--B\r\n"
                  "Content-Disposition: form-data; name=\"file\"; filename=\"a%22b%0D%0Ac.txt\"\r\n"
                  "Content-Type: text/plainX-Evil: 1\r\n"
                  "\r\n"
                  "hi\r\n"
                  "--B--\r\n");
  EXPECT_EQ(body.find("file_source"), std::string::npos);
  Upload unnamed{"", "", "x"};
  std::string b2 = upload_v2_multipart(unnamed, "B");
  EXPECT_NE(b2.find("filename=\"file\""), std::string::npos);
  EXPECT_NE(b2.find("Content-Type: application/octet-stream\r\n"), std::string::npos);
}

TEST(UploadLegacy, JsonBody) {
  std::string bytes("\x00\x01\x02\xfe\xff", 5);
  Upload up{"image.png", "image/png", bytes};
  std::string body = upload_legacy_body(up);
  EXPECT_EQ(body, R"({"fileName":"image.png","fileMimeType":"image/png","content":"AAEC/v8="})");
  auto j = parse_json(body);
  ASSERT_TRUE(j);
  EXPECT_EQ(base64_decode((*j)["content"].get<std::string>()).value_or(""), bytes);
}

TEST(UploadV2, ParsesAnswer) {
  // The fake upstream's answer shape.
  auto r = parse_upload_v2_response(
      R"({"uploadId":"upload-1","fileMetadata":{"fileMetadataId":"file-metadata-1","fileId":"file-2","fileUri":"users/u/file-2/content","fileName":"cat.png","fileMimeType":"image/png","sizeBytes":"10"},"terminalError":null})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->file_id, "file-metadata-1");
  EXPECT_EQ(r->file_uri, "users/u/file-2/content");
  auto only_file_id = parse_upload_v2_response(
      R"({"fileMetadata":{"fileId":"f9","fileUri":"users/u/f9/content"}})");
  ASSERT_TRUE(only_file_id);
  EXPECT_EQ(only_file_id->file_id, "f9");
  EXPECT_TRUE(
      parse_upload_v2_response(R"({"fileMetadata":{"fileMetadataId":"m"},"terminalError":""})"));
}

TEST(UploadV2, TerminalErrorAndGarbage) {
  std::string err;
  EXPECT_FALSE(parse_upload_v2_response(
      R"({"uploadId":"u","fileMetadata":null,"terminalError":{"code":"INVALID_ARGUMENT","message":"file too large"}})",
      &err));
  EXPECT_EQ(err, "file too large");
  EXPECT_FALSE(parse_upload_v2_response(
      R"({"terminalError":"UPLOAD_FAILED","fileMetadata":{"fileMetadataId":"m"}})", &err));
  EXPECT_EQ(err, "UPLOAD_FAILED");
  EXPECT_FALSE(parse_upload_v2_response(R"({"terminalError":{}})", &err));
  EXPECT_EQ(err, "upload failed (terminalError)");
  EXPECT_FALSE(parse_upload_v2_response(R"({"uploadId":"u"})", &err));
  EXPECT_EQ(err, "upload answer has no file id");
  EXPECT_FALSE(parse_upload_v2_response("<html>403</html>", &err));
  EXPECT_FALSE(parse_upload_v2_response("[]"));
  EXPECT_FALSE(parse_upload_v2_response(""));
}

TEST(UploadLegacy, ParsesAnswer) {
  auto r = parse_upload_legacy_response(
      R"({"fileMetadataId":"file-7","fileMimeType":"image/png","fileName":"image.png","fileUri":"users/u/file-7/content","parsedFileUri":"","createTime":"2026-01-01T00:00:00Z","fileSource":"SELF_UPLOAD_FILE_SOURCE"})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->file_id, "file-7");
  EXPECT_EQ(r->file_uri, "users/u/file-7/content");
  EXPECT_FALSE(parse_upload_legacy_response(R"({"fileUri":"users/u/x/content"})"));
  EXPECT_FALSE(parse_upload_legacy_response(R"({"error":{"code":7}})"));
  EXPECT_FALSE(parse_upload_legacy_response("nope"));
}
