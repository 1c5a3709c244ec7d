// libFuzzer target: scraping the Grok home page for statsig material and the header
// arithmetic around it (grok/statsig.h). The input is a page. Invariants: a found
// site-verification value is non-empty and trimmed; found
// curves are exactly 4 groups of 16; the animation key derived from them (with a seed taken
// from the page) is computed without fault in both flavours; a header assembled from any
// 48-byte seed looks valid; the digest input never carries the URL's host, query or fragment.
// (The meta content is returned entity-decoded as the page wrote it — any bytes; the flow
// only uses it when it base64-decodes to exactly 48 bytes.)
#include "fuzz_util.h"
#include "grok/statsig.h"

using namespace g2a;
using namespace g2a::grok;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string page(reinterpret_cast<const char *>(data), size); // own allocation
  if (auto v = extract_site_verification(page)) {
    FUZZ_CHECK(!v->empty(), *v);
    FUZZ_CHECK(v->find_first_of(" \t\r\n") != 0 && v->find_last_of(" \t\r\n") != v->size() - 1, *v);
  }
  std::string seed = page.substr(0, 48);
  seed.resize(48, 'k');
  if (auto curves = extract_curves(page)) {
    FUZZ_CHECK(curves->size() == 4, page);
    StatsigIndices idx{static_cast<int>(size % 64), static_cast<int>(size % 17),
                       {static_cast<int>(size % 48), 3, 47}};
    for (auto flavor : {AnimationFlavor::Reference, AnimationFlavor::Browser}) {
      auto key = animation_key(seed, *curves, idx, flavor);
      if (key) FUZZ_CHECK(fuzz::valid_utf8(*key), *key);
    }
  }
  uint32_t t = statsig_time(static_cast<long long>(size) * 1000003LL);
  std::string digest = page.substr(0, 32);
  digest.resize(32, '\0');
  auto header = statsig_assemble(seed, t, digest, static_cast<uint8_t>(size));
  FUZZ_CHECK(header && statsig_looks_valid(*header), page);
  statsig_looks_valid(page);
  std::string input = statsig_digest_input("post", "https://h.example/" + page + "?q#f", t, "key");
  FUZZ_CHECK(input.rfind("POST!/", 0) == 0, input);
  FUZZ_CHECK(input.find("h.example") == std::string::npos || page.find("h.example") != std::string::npos, input);
  double x = static_cast<double>(size % 1000) / 999.0;
  double e = cubic_bezier_ease(0.25, 0.1, 0.25, 1.0, x);
  FUZZ_CHECK(e == e, "NaN from cubic_bezier_ease");
  return 0;
}
