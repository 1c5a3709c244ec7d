// SSRF guard for client image URLs (app/image_inputs.h private_host): every spelling of an
// internal address that a WHATWG URL parser (the runtime's fetch) resolves is refused. The
// octal, short-form, single-number, trailing-dot, backslash, percent-encoded and full-width
// cases are regressions found by tests/fuzz/private_host_fuzz.cpp.
#include "app/image_inputs.h"

#include <gtest/gtest.h>

using g2a::app::private_host;

TEST(PrivateHost, RefusesInternalHostsInEveryNotation) {
  for (const char *url : {
           "http://127.0.0.1/a.png",
           "http://localhost:8787/a.png",
           "http://LOCALHOST/a",
           "http://10.0.0.1/",
           "http://172.16.5.4/",
           "http://192.168.1.1:80/",
           "http://100.64.0.1/",
           "http://169.254.169.254/latest/meta-data/",
           "http://0.0.0.0/",
           "http://224.0.0.1/",
           "http://[::1]/",
           "http://user@example.com/",
           "http://printer.local/",
           "http://x.internal/",
           "http://a.localhost/",
           "https://0x7f000001/",
           // Found by fuzzing: notations the old sscanf("%d.%d.%d.%d") check let through.
           "http://0177.0.0.1/",       // octal 0177 = 127
           "http://127.1/",            // two-part form = 127.0.0.1
           "http://10.1/",             // 10.0.0.1
           "http://2130706433/",       // one number = 127.0.0.1
           "http://017700000001/",     // one octal number
           "http://10.0x0.0.1/",       // hex part inside
           "http://0x7f.1/",           // hex first part
           "http://127.0.0.1./",       // trailing dot
           "http://localhost./",       // trailing dot on a name
           "http://127.0.0.1\\x.png",  // backslash ends the authority
           "http://127.0.0.1\t/a.png", // tabs are removed
           "http://12\n7.0.0.1/",      // newlines are removed
           "http://127.0.0.%31/",      // percent-encoded host
           "http://\xef\xbc\x91\xef\xbc\x92\xef\xbc\x97\xe3\x80\x82\xef\xbc\x90\xe3\x80\x82"
           "\xef\xbc\x90\xe3\x80\x82\xef\xbc\x91/", // full-width digits and ideographic dots
           "http://1.2.3.4.5/",                     // not an address: the fetch would fail anyway
           "http://256.0.0.1/",
           "no-scheme",
           // Names that resolve only inside a network (/etc/hosts, search domains, mDNS):
           "http://vm/a.png",       // a single label
           "http://printer./a.png", // a single label with the root dot
           "http://nas.lan/",
           "http://box.home/",
           "http://db.corp/",
           "http://a.intranet/",
           "http://x.private/",
           "http://h.localdomain/",
           "http://r.home.arpa/",
           "http://1.0.0.127.in-addr.arpa/",
           "http://a.test/",
           "http://www.example/",
           "http://a.invalid/",
           "http://x.onion/",
           "http://y.alt/",
           "http://LOCAL./",
       })
    EXPECT_TRUE(private_host(url)) << url;
}

TEST(PrivateHost, TheImageHostsAllowListMatchesNamesAndTheirSubdomains) {
  using g2a::app::allowed_image_host;
  using g2a::app::image_host_allowlist;
  auto list = image_host_allowlist(" Example.com, .cdn.example.org.\nimg.test ");
  ASSERT_EQ(list, (std::vector<std::string>{"example.com", "cdn.example.org", "img.test"}));
  EXPECT_TRUE(allowed_image_host("https://example.com/a.png", list));
  EXPECT_TRUE(allowed_image_host("https://a.b.EXAMPLE.com./a.png", list));
  EXPECT_TRUE(allowed_image_host("https://x.cdn.example.org:8443/a", list));
  EXPECT_FALSE(allowed_image_host("https://notexample.com/a.png", list));
  EXPECT_FALSE(allowed_image_host("https://example.com.evil.net/a.png", list));
  EXPECT_FALSE(allowed_image_host("https://evil.net/example.com", list));
  EXPECT_FALSE(allowed_image_host("https://user@example.com/a.png", list));
  EXPECT_TRUE(allowed_image_host("https://anything.example.net/", {})); // empty: any host
}

TEST(PrivateHost, AllowsPublicHosts) {
  for (const char *url :
       {"https://example.com/cat.png", "http://8.8.8.8/a.png", "https://1.2.3.4:8443/x",
        "https://cdn.example.org./a.png", "https://a.b.c.example.com/x?y=1#z",
        "https://example.com/127.0.0.1", "https://123.example.com/a.png",
        "https://0x7f.example.com/a", "https://172.32.0.1/", "https://100.128.0.1/",
        "https://example.com./a", "https://local.example.com/", "https://test.com/",
        "https://my-home.net/", "https://internal.example.org/"})
    EXPECT_FALSE(private_host(url)) << url;
}
