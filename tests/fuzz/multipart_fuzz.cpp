// libFuzzer target: multipart/form-data (http/multipart.h). Input: a Content-Type line, then
// the body. Invariants: an accepted boundary is 1..70 allowed characters and reads back from
// a freshly written Content-Type; parts are at most max_parts, their data views lie inside
// the body in order; and parts whose names and bytes a writer can express (no '%', '\\',
// '"', CR or LF in names, no "--boundary" inside data) survive write → parse unchanged.
#include "fuzz_util.h"
#include "http/multipart.h"

using namespace g2a;

namespace {

bool writable_param(std::string_view s) {
  return s.find_first_of("%\\\"\r\n") == std::string_view::npos;
}

std::string write_body(const std::vector<FormPart> &parts, std::string_view boundary) {
  std::string out;
  for (const auto &p : parts) {
    out += "--";
    out += boundary;
    out += "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
    if (p.is_file) out += "; filename=\"" + p.filename + "\"";
    out += "\r\n";
    if (!p.content_type.empty()) out += "Content-Type: " + p.content_type + "\r\n";
    out += "\r\n";
    out += p.data;
    out += "\r\n";
  }
  out += "--";
  out += boundary;
  out += "--\r\n";
  return out;
}

std::string describe(const std::vector<FormPart> &parts) {
  std::string s;
  for (const auto &p : parts)
    s += "[" + p.name + "|" + p.filename + "|" + p.content_type + "|" + (p.is_file ? "F" : "-") +
         "|" + std::string(p.data) + "]\n";
  return s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::Reader r(data, size);
  std::string_view ct = r.until('\n');
  std::string body(r.rest()); // own allocation: ASan sees reads past the body
  auto boundary = multipart_boundary(ct);
  std::string b = boundary ? *boundary : std::string("XyZ");
  if (boundary) {
    FUZZ_CHECK(!b.empty() && b.size() <= 70, b);
    auto again = multipart_boundary("multipart/form-data; boundary=\"" + b + "\"");
    FUZZ_CHECK(again && *again == b, b);
  }
  size_t max_parts = 1 + (size % 8);
  auto res = parse_multipart(body, b, max_parts);
  if (auto *err = std::get_if<std::string>(&res)) {
    FUZZ_CHECK(!err->empty(), "empty error message");
    return 0;
  }
  const auto &parts = std::get<std::vector<FormPart>>(res);
  FUZZ_CHECK(parts.size() <= max_parts, describe(parts));
  const char *prev_end = body.data();
  for (const auto &p : parts) {
    FUZZ_CHECK(p.data.data() >= prev_end, describe(parts));
    FUZZ_CHECK(p.data.data() + p.data.size() <= body.data() + body.size(), describe(parts));
    prev_end = p.data.data() + p.data.size();
    if (!p.is_file) FUZZ_CHECK(p.filename.empty(), describe(parts));
  }

  bool writable = true;
  for (const auto &p : parts) {
    writable = writable && writable_param(p.name) && writable_param(p.filename) &&
               p.content_type.find_first_of("\r\n") == std::string::npos &&
               p.data.find("--" + b) == std::string_view::npos;
    // Header values are trimmed; a writer cannot express surrounding blanks.
    if (!p.content_type.empty())
      writable = writable && p.content_type.front() != ' ' && p.content_type.front() != '\t' &&
                 p.content_type.back() != ' ' && p.content_type.back() != '\t';
  }
  if (!writable) return 0;
  std::string written = write_body(parts, b);
  auto res2 = parse_multipart(written, b, max_parts);
  if (auto *err = std::get_if<std::string>(&res2)) fuzz::fail(err->c_str(), written);
  FUZZ_CHECK(describe(std::get<std::vector<FormPart>>(res2)) == describe(parts), written);
  return 0;
}
