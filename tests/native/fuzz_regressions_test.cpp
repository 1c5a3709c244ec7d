// Regressions found by the libFuzzer targets in tests/fuzz/ (each input is also kept in that
// target's committed corpus, tests/fuzz/corpus/<target>/regress-*).
#include "app/image_inputs.h"
#include "grok/ndjson_decoder.h"
#include "grok_event_json.h"

#include <gtest/gtest.h>

#include <string>

using g2a::app::private_host;

// private_host_fuzz: the guard judged the authority after the first "://" anywhere in the
// URL, but a WHATWG parser reads "http:/h" and "http:h" as host h, so
// "http:/127.0.0.1://example.com/" reaches 127.0.0.1 while the guard saw example.com.
// (load_images only fetches URLs starting with "http://" or "https://", so this was not
// reachable through the API; the guard itself must still judge only what it can read.)
TEST(FuzzRegressions, PrivateHostJudgesOnlyTheAuthorityAfterTheScheme) {
  for (const char *url : {
           "http:/127.0.0.1://example.com/a.png",
           "http:127.0.0.1://example.com/a.png",
           "http:/9://20x7",
           "https:/10.0.0.1://cdn.example.org/x",
           "ftp://example.com/a.png",
           "javascript://example.com/%0aalert(1)",
           " http://example.com/",
       })
    EXPECT_TRUE(private_host(url)) << url;
  static const char raw[] = "http:/9://20x7\0\0\0\0\0\0tp:\0\x04"
                            "f.154.0)60.1./";
  const std::string fuzzed(raw, sizeof raw - 1); // the fuzzer's input, NULs included
  EXPECT_TRUE(private_host(fuzzed));
  for (const char *url : {"https://example.com/a.png", "HTTPS://example.com/a.png",
                          "Http://example.com/x://y", "https://example.com/http://127.0.0.1/"})
    EXPECT_FALSE(private_host(url)) << url;
}

// private_host_fuzz: the port was cut at the last ':', so in "http://192.168.1.1:80https://…"
// the guard judged the host "192.168.1.1:80https" (public). The host now ends at the first
// ':' and a port that is not all digits is refused (the runtime's parser rejects it too).
TEST(FuzzRegressions, PrivateHostCutsThePortAtTheFirstColon) {
  for (const char *url : {
           "http://192.168.1.1:80https://example.com/",
           "http://127.0.0.1:80:80/a.png",
           "http://127.0.0.1:x/",
           "http://example.com:80x/",
       })
    EXPECT_TRUE(private_host(url)) << url;
  for (const char *url :
       {"https://example.com:443/a.png", "http://8.8.8.8:/a.png", "https://example.com:/"})
    EXPECT_FALSE(private_host(url)) << url;
}

// ndjson_fuzz (10-minute run): an error code of 3.2e34 was cast from double to long long,
// which is undefined behaviour (UBSan aborted). Codes are now clamped to ±1e18 first.
TEST(FuzzRegressions, HugeNumericErrorCodesAreClampedNotCast) {
  for (auto [code, ref] : {std::pair{"32222222222222222222222222222222222", "1000000000000000000"},
                           std::pair{"-4e300", "-1000000000000000000"}, std::pair{"7.9", "7"}}) {
    g2a::test::Collect sink;
    g2a::grok::NdjsonDecoder dec(sink);
    dec.feed(std::string(R"({"error":{"code":)") + code +
             R"(,"message":"Content moderated [WKE=grok:content-moderated]"}})"
             "\n");
    dec.finish();
    ASSERT_FALSE(sink.events.empty()) << code;
    EXPECT_EQ(sink.events[0]["kind"], "error") << code;
    EXPECT_EQ(sink.events[0]["ref"], ref) << code;
    EXPECT_EQ(sink.events[0]["failure"], "moderated") << code;
  }
}
