// Egress per transport (app/egress.h): which settings take `binding:NAME`, how a name is
// checked, and how grok_config turns the settings into URLs plus the binding each transport goes
// out through.
#include "app/egress.h"
#include "app/grok_config.h"
#include "app/settings.h"
#include "core/effects.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::app;

namespace {
std::optional<std::string> check(std::string_view key, const char *value) {
  const SettingSpec *spec = find_setting(key);
  EXPECT_NE(spec, nullptr) << key;
  return spec ? validate_setting(*spec, json(value)) : std::optional<std::string>("no spec");
}

GrokConfig config(std::initializer_list<std::pair<const char *, const char *>> values) {
  Request req;
  req.vars["GROK_BASE_URL"] = "https://grok.example";
  req.vars["GROK_ASSETS_URL"] = "https://assets.grok.example";
  Settings s;
  for (auto [k, v] : values) EXPECT_TRUE(s.set(k, json(v))) << k << "=" << v;
  return grok_config(req, s);
}
} // namespace

TEST(Egress, BindingNames) {
  EXPECT_TRUE(valid_binding_name("GROK_RELAY"));
  EXPECT_TRUE(valid_binding_name("_x9"));
  EXPECT_TRUE(valid_binding_name("relay"));
  EXPECT_TRUE(valid_binding_name(std::string(64, 'A')));
  EXPECT_FALSE(valid_binding_name(""));
  EXPECT_FALSE(valid_binding_name("9RELAY"));
  EXPECT_FALSE(valid_binding_name("GROK-RELAY"));
  EXPECT_FALSE(valid_binding_name("GROK RELAY"));
  EXPECT_FALSE(valid_binding_name("a.b"));
  EXPECT_FALSE(valid_binding_name(std::string(65, 'A')));
  EXPECT_EQ(binding_ref("binding:RELAY"), std::optional<std::string_view>("RELAY"));
  EXPECT_EQ(binding_ref("https://relay.example"), std::nullopt);
  EXPECT_EQ(binding_ref("Binding:RELAY"), std::nullopt);
}

TEST(Egress, TheThreeUpstreamSettingsTakeABinding) {
  for (const char *key : {"grok_base_url", "grok_ws_url", "grok_assets_url"}) {
    SCOPED_TRACE(key);
    EXPECT_TRUE(accepts_binding(key));
    EXPECT_EQ(check(key, "binding:GROK_RELAY"), std::nullopt);
    EXPECT_EQ(check(key, "https://relay.example"), std::nullopt);
    EXPECT_EQ(check(key, ""), std::nullopt);
    auto bad = check(key, "binding:GROK-RELAY");
    ASSERT_TRUE(bad);
    EXPECT_NE(bad->find("binding:NAME"), std::string::npos) << *bad;
    EXPECT_TRUE(check(key, "binding:"));
    EXPECT_TRUE(check(key, "relay.example")); // neither a URL nor a binding
  }
  // Other URL settings do not.
  EXPECT_FALSE(accepts_binding("media_base_url"));
  auto media = check("media_base_url", "binding:GROK_RELAY");
  ASSERT_TRUE(media);
  EXPECT_NE(media->find("http(s) URL"), std::string::npos) << *media;
}

TEST(Egress, NoSettingsIsThePublicFetchToTheVars) {
  GrokConfig c = config({});
  EXPECT_EQ(c.profile.base_url, "https://grok.example");
  EXPECT_EQ(c.ws_base, "https://grok.example");
  EXPECT_EQ(c.profile.assets_url, "https://assets.grok.example");
  EXPECT_EQ(c.rest_binding, "");
  EXPECT_EQ(c.ws_binding, "");
  EXPECT_EQ(c.assets_binding, "");
}

TEST(Egress, ABindingKeepsTheGrokUrlAndNamesTheBinding) {
  GrokConfig c = config({{"grok_base_url", "binding:GROK_RELAY"}});
  EXPECT_EQ(c.profile.base_url, "https://grok.example");
  EXPECT_EQ(c.rest_binding, "GROK_RELAY");
  // An empty grok_ws_url follows the REST egress, binding included.
  EXPECT_EQ(c.ws_base, "https://grok.example");
  EXPECT_EQ(c.ws_binding, "GROK_RELAY");
  EXPECT_EQ(c.assets_binding, "");

  c = config({{"grok_ws_url", "binding:GROK_VPC"}, {"grok_assets_url", "binding:ASSET_RELAY"}});
  EXPECT_EQ(c.rest_binding, "");
  EXPECT_EQ(c.ws_base, "https://grok.example");
  EXPECT_EQ(c.ws_binding, "GROK_VPC");
  EXPECT_EQ(c.profile.assets_url, "https://assets.grok.example");
  EXPECT_EQ(c.assets_binding, "ASSET_RELAY");

  // A URL relay for REST and a binding for the sockets: each keeps its own.
  c = config({{"grok_base_url", "https://relay.example"}, {"grok_ws_url", "binding:GROK_VPC"}});
  EXPECT_EQ(c.profile.base_url, "https://relay.example");
  EXPECT_EQ(c.rest_binding, "");
  EXPECT_EQ(c.ws_base, "https://relay.example");
  EXPECT_EQ(c.ws_binding, "GROK_VPC");
}

TEST(Egress, EffectsCarryTheBinding) {
  fx::Fetch f;
  f.url = "https://grok.example/rest/rate-limits";
  EXPECT_FALSE(fx::effect(f).contains("binding"));
  f.binding = "GROK_RELAY";
  EXPECT_EQ(fx::effect(f)["binding"], "GROK_RELAY");
  EXPECT_EQ(fx::effect(fx::WsOpen{"wss://grok.example/ws", {}, "GROK_VPC"})["binding"], "GROK_VPC");
  const json missing{{"ok", false}, {"binding_missing", true}};
  const json network{{"ok", false}, {"error", "network"}};
  EXPECT_TRUE(fx::FetchResult::of(missing).binding_missing);
  EXPECT_FALSE(fx::FetchResult::of(network).binding_missing);
  // The advice is the core's (the shim only reports the mark).
  EXPECT_EQ(binding_missing_message("X"),
            "the upstream binding 'X' is not bound to this Worker: declare it in wrangler.toml "
            "([[services]] or [[vpc_services]] with binding = \"X\") or change the grok_*_url "
            "setting that names it");
}
