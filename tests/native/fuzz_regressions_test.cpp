// Regressions found by the libFuzzer targets in tests/fuzz/ (each input is also kept in that
// target's committed corpus, tests/fuzz/corpus/<target>/regress-*).
#include "app/image_inputs.h"
#include "grok/imagine_session.h"
#include "grok/ndjson_decoder.h"
#include "grok/rate_limits.h"
#include "grok_event_json.h"
#include "openai/chat_render.h"

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

// ndjson_fuzz (10-minute run): a malformed line's outcome depended on how the stream was cut.
// On an unbalanced document simdjson reads the byte after the line (its end sentinel); in
// the carry buffer that byte was left over from an earlier, longer line (here the `}` of
// line 1), so the same bytes fed whole or in pieces gave Done or an error. The carry now
// keeps a space there, as parsing in place has (the line's '\n').
TEST(FuzzRegressions, NdjsonOutcomeDoesNotDependOnStaleCarryBytes) {
  // A broken first line, longer than the second, with `}` where the second one ends.
  const std::string first = R"({"x":")" + std::string(95, 'a') + "\"" + std::string(12, '}');
  const std::string second =
      R"({"result":{"response":{"modelResponse":{"rsage":"Hel ](geUrls":["useing ob","txt":""}]},"responseI":"r-21"}}})";
  ASSERT_GT(first.size(), second.size());
  ASSERT_EQ(first[second.size()], '}'); // what the carry used to hold after the second line
  const std::string body = first + "\n" + second + "\n";
  auto run = [&](size_t step) {
    g2a::test::Collect sink;
    g2a::grok::NdjsonDecoder dec(sink);
    for (size_t at = 0; at < body.size(); at += step) dec.feed(body.substr(at, step));
    dec.finish();
    return sink.events;
  };
  const auto whole = run(body.size());
  for (size_t step : {1, 2, 7, 64}) EXPECT_EQ(run(step), whole) << step;
}

// imagine_fuzz (10-minute run): when the socket closed, every slot still waiting at 100% for
// its `completed` frame was emitted, so a server announcing more slots than n gave more than
// n final images. Only up to n count now.
TEST(FuzzRegressions, ImagineCloseEmitsAtMostNFinals) {
  g2a::test::Collect sink;
  g2a::grok::ImagineRequest req;
  req.prompt = "a cat";
  req.request_id = "rid-1";
  req.n = 1;
  g2a::grok::ImagineSession s(
      sink, [](std::string) {}, req);
  s.start(1700000000000LL);
  for (const char *id : {"i1", "i2", "i3"})
    s.on_frame(
        std::string(R"({"type":"image","request_id":"rid-1","image_id":")") + id +
        R"(","url":"https://imagine-public.x.ai/)" + id +
        R"(.jpg","blob":"RklOQUw=","percentage_complete":100,"current_status":"generating"})");
  s.on_close();
  int finals = 0;
  for (const auto &e : sink.events)
    if (e["kind"] == "image" && e.value("progress", -1) == 100) ++finals;
  EXPECT_EQ(finals, 1);
  EXPECT_EQ(s.images_completed(), 1);
  EXPECT_EQ(sink.events.back()["kind"], "done");
}

// upstream_json_fuzz (10-minute run): a quota body with an empty key (`"":null`) gave an
// imagine quota slot without a name. Nameless fields are skipped.
TEST(FuzzRegressions, ImagineQuotaSkipsNamelessSlots) {
  auto q = g2a::grok::parse_imagine_quota(R"({"":null,"fileMetadataId":"f1"})");
  EXPECT_FALSE(q.has_value());
  auto q2 = g2a::grok::parse_imagine_quota(R"({"":null,"imagine":{"remainingQueries":3}})");
  ASSERT_TRUE(q2.has_value());
  ASSERT_EQ(q2->slots.size(), 1u);
  EXPECT_EQ(q2->slots[0].kind, "imagine");
}

// imagine_fuzz (10-minute run): an image frame whose url was a `data:` URL was passed on as
// the image's location; image URLs are absolute http(s) (the bytes come in `blob`).
TEST(FuzzRegressions, ImagineIgnoresDataUrls) {
  g2a::test::Collect sink;
  g2a::grok::ImagineRequest req;
  req.prompt = "a cat";
  req.request_id = "rid-1";
  g2a::grok::ImagineSession s(
      sink, [](std::string) {}, req);
  s.start(1700000000000LL);
  s.on_frame(R"({"type":"image","request_id":"rid-1","image_id":"i1","url":"data:h!`rest_idg",)"
             R"("blob":"UFJFVklFVw==","percentage_complete":40,"current_status":"generating"})");
  s.on_frame(
      R"({"type":"image","request_id":"rid-1","image_id":"i1","url":"data:image/png;base64,AAAA",)"
      R"("blob":"RklOQUw=","percentage_complete":100,"current_status":"completed"})");
  ASSERT_FALSE(sink.events.empty());
  for (const auto &e : sink.events)
    if (e["kind"] == "image") EXPECT_FALSE(e.contains("url")) << e.dump();
  EXPECT_EQ(s.images_completed(), 1);
}

// chat_render_fuzz (10-minute run): a citation with a link but no text became an annotation
// in the JSON body (empty span) while the stream, having no content open, dropped it; the
// streamed sum and the JSON answer disagreed. A citation without text is no annotation now.
TEST(FuzzRegressions, CitationWithoutTextIsNoAnnotation) {
  auto cite = [] {
    g2a::answer::Event e;
    e.kind = g2a::answer::Event::Kind::Citation;
    e.url = "https://example.com/a";
    e.title = "A";
    return e;
  };
  g2a::openai::ChatRenderOptions o;
  o.id = "chatcmpl-1";
  o.model = "grok-4";
  o.created = 1;
  g2a::openai::ChatJsonRenderer j(o);
  j.on_event(cite());
  auto body = g2a::parse_json(j.render("stop"));
  ASSERT_TRUE(body.has_value());
  EXPECT_FALSE((*body)["choices"][0]["message"].contains("annotations")) << body->dump();
  std::string out;
  g2a::openai::ChatStreamRenderer s(o, out);
  s.begin();
  s.on_event(cite());
  s.flush();
  EXPECT_EQ(out.find("annotations"), std::string::npos) << out;
}
