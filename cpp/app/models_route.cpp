// GET /v1/models and GET /v1/models/{id}: the catalogue in OpenAI's list/item shape, limited
// to the models the caller's key may use; in Anthropic's shape ({type:"model", id,
// display_name, created_at} items, has_more/first_id/last_id), errors included, when the
// request carries an anthropic-version header.
#include "app/v1_auth.h"
#include "app/v1_routes.h"
#include "grok/models.h"
#include "http/request.h"

namespace g2a::app {

namespace {

constexpr long long kCatalogueCreated = 1767225600; // 2026-01-01, stable across deployments
constexpr const char *kCatalogueCreatedAt = "2026-01-01T00:00:00Z";

bool anthropic_client(Ctx &cx, V1Call &call) {
  if (!cx.req.header("anthropic-version")) return false;
  call.dialect = ErrorDialect::Anthropic;
  return true;
}

json anthropic_model_json(const grok::ModelInfo &m) {
  return json{{"type", "model"},
              {"id", m.id},
              {"display_name", m.display_name},
              {"created_at", kCatalogueCreatedAt}};
}

json model_json(const grok::ModelInfo &m) {
  return json{{"id", m.id},
              {"object", "model"},
              {"created", kCatalogueCreated},
              {"owned_by", "xai"},
              {"display_name", m.display_name},
              {"description", m.description},
              {"type", grok::model_kind_name(m.kind)},
              {"tier", grok::tier_name(m.tier)}};
}

bool allowed(const auth::ApiKey &k, std::string_view id) {
  if (k.allowed_models.empty()) return true;
  for (const auto &m : k.allowed_models)
    if (m == id) return true;
  return false;
}

} // namespace

Task<void> models_list(Ctx &cx, V1Call &call) {
  bool anthropic = anthropic_client(cx, call);
  auto authz = co_await authorize(cx, call, "");
  if (!authz) {
    call.fail(cx, authz.error());
    co_return;
  }
  json data = json::array();
  for (const auto &m : grok::models())
    if (m.public_listing && allowed(authz->key, m.id))
      data.push_back(anthropic ? anthropic_model_json(m) : model_json(m));
  if (anthropic) {
    json first = data.empty() ? json(nullptr) : data.front()["id"];
    json last = data.empty() ? json(nullptr) : data.back()["id"];
    respond_json(cx, 200,
                 json{{"data", std::move(data)},
                      {"has_more", false},
                      {"first_id", std::move(first)},
                      {"last_id", std::move(last)}},
                 call.headers());
    co_return;
  }
  respond_json(cx, 200, json{{"object", "list"}, {"data", std::move(data)}}, call.headers());
}

Task<void> models_get(Ctx &cx, V1Call &call) {
  std::string id =
      percent_decode(std::string_view(cx.req.path).substr(std::string_view("/v1/models/").size()));
  call.model = id;
  bool anthropic = anthropic_client(cx, call);
  auto authz = co_await authorize(cx, call, "");
  if (!authz) {
    call.fail(cx, authz.error());
    co_return;
  }
  const grok::ModelInfo *m = grok::find_model(id);
  if (!m || !allowed(authz->key, id)) {
    call.fail(cx, model_not_found(id));
    co_return;
  }
  respond_json(cx, 200, anthropic ? anthropic_model_json(*m) : model_json(*m), call.headers());
}

} // namespace g2a::app
