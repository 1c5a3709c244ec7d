// SSRF guard for client image URLs (app/image_inputs.h private_host): every spelling of an
// internal address that a WHATWG URL parser (the runtime's fetch) resolves is refused. The
// octal, short-form, single-number, trailing-dot, backslash, percent-encoded and full-width
// cases are regressions found by tests/fuzz/private_host_fuzz.cpp.
#include "app/image_inputs.h"

#include <gtest/gtest.h>

using g2a::app::private_host;

TEST(PrivateHost, RefusesInternalHostsInEveryNotation) {
  for (const char *url : {
           "http://127.0.0.1/a.png", "http://localhost:8787/a.png", "http://LOCALHOST/a",
           "http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.1.1:80/", "http://100.64.0.1/",
           "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/", "http://224.0.0.1/",
           "http://[::1]/", "http://user@example.com/", "http://printer.local/", "http://x.internal/",
           "http://a.localhost/", "https://0x7f000001/",
           // Found by fuzzing: notations the old sscanf("%d.%d.%d.%d") check let through.
           "http://0177.0.0.1/",          // octal 0177 = 127
           "http://127.1/",               // two-part form = 127.0.0.1
           "http://10.1/",                // 10.0.0.1
           "http://2130706433/",          // one number = 127.0.0.1
           "http://017700000001/",        // one octal number
           "http://10.0x0.0.1/",          // hex part inside
           "http://0x7f.1/",              // hex first part
           "http://127.0.0.1./",          // trailing dot
           "http://localhost./",          // trailing dot on a name
           "http://127.0.0.1\\x.png",     // backslash ends the authority
           "http://127.0.0.1\t/a.png",    // tabs are removed
           "http://12\n7.0.0.1/",         // newlines are removed
           "http://127.0.0.%31/",         // percent-encoded host
           "http://\xef\xbc\x91\xef\xbc\x92\xef\xbc\x97\xe3\x80\x82\xef\xbc\x90\xe3\x80\x82"
           "\xef\xbc\x90\xe3\x80\x82\xef\xbc\x91/", // full-width digits and ideographic dots
           "http://1.2.3.4.5/",           // not an address: the fetch would fail anyway
           "http://256.0.0.1/",
           "no-scheme",
       })
    EXPECT_TRUE(private_host(url)) << url;
}

TEST(PrivateHost, AllowsPublicHosts) {
  for (const char *url : {"https://example.com/cat.png", "http://8.8.8.8/a.png", "https://1.2.3.4:8443/x",
                          "https://cdn.example.org./a.png", "https://a.b.c.example/x?y=1#z",
                          "https://example.com/127.0.0.1", "https://123.example/a.png",
                          "https://0x7f.example/a", "https://172.32.0.1/", "https://100.128.0.1/"})
    EXPECT_FALSE(private_host(url)) << url;
}
