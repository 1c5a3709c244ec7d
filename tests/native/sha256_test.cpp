// The core's SHA-256 and HMAC-SHA-256 against the FIPS 180-4 examples and RFC 4231 test cases,
// and the thinking-block signatures built on them.
#include "anthropic/thinking_signature.h"
#include "core/bytes.h"
#include "core/sha256.h"

#include <gtest/gtest.h>

using namespace g2a;

TEST(Sha256, FipsExamples) {
  EXPECT_EQ(hex_encode(sha256_digest("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex_encode(sha256_digest("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex_encode(sha256_digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hex_encode(sha256_digest(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PaddingBoundaries) {
  // 55, 56 and 64 bytes straddle the length field's block boundary.
  EXPECT_EQ(hex_encode(sha256_digest(std::string(55, 'a'))),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(hex_encode(sha256_digest(std::string(56, 'a'))),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(hex_encode(sha256_digest(std::string(64, 'a'))),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST(HmacSha256, Rfc4231) {
  EXPECT_EQ(hex_encode(hmac_sha256_digest(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hex_encode(hmac_sha256_digest("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Case 6: a key longer than the block is hashed first.
  EXPECT_EQ(
      hex_encode(hmac_sha256_digest(std::string(131, '\xaa'),
                                    "Test Using Larger Than Block-Size Key - Hash Key First")),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(ThinkingSignature, SignsVerifiesAndRefusesTampering) {
  const std::string key = "0123456789abcdef0123456789abcdef";
  std::string sig = anthropic::sign_thinking(key, "I think.");
  EXPECT_EQ(sig.rfind("g2a1.", 0), 0u);
  EXPECT_EQ(sig.size(), 5u + 43u); // 32 bytes, base64url without padding
  EXPECT_TRUE(anthropic::verify_thinking(key, "I think.", sig));
  EXPECT_FALSE(anthropic::verify_thinking(key, "I think!", sig));
  EXPECT_FALSE(anthropic::verify_thinking(key + "x", "I think.", sig));
  EXPECT_FALSE(anthropic::verify_thinking(key, "I think.", sig.substr(0, sig.size() - 1)));
  EXPECT_FALSE(anthropic::verify_thinking("", "I think.", anthropic::sign_thinking("", "I think.")))
      << "no key, nothing verifies";
}
