// /v1 authorisation.
#include "app/v1_auth.h"

namespace g2a::app {

Task<ApiResult<Authorized>> authorize(Ctx &cx, V1Call &call, std::string_view model,
                                      std::vector<fx::Stmt> reads) {
  auto key = auth::api_key(cx.req);
  if (!key) co_return auth::missing_key_error();
  auto digest = co_await cx.run({fx::sha256(*key)});
  std::string hash(fx::CryptoResult::of(fx::result_at(digest)).hex);
  const size_t n_reads = reads.size();
  std::vector<fx::Stmt> stmts{auth::key_lookup(hash), settings_select()};
  for (auto &s : reads) stmts.push_back(std::move(s));
  auto res = co_await cx.run({fx::d1(std::move(stmts))});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) co_return storage_unavailable();
  call.key_checked = true;
  auto k = auth::key_from_rows(r.rows(0));
  if (auto err = auth::check_key(k, model, cx.now_ms)) {
    if (k) {
      call.key_id = k->id;
      call.key_name = k->name;
    }
    co_return std::move(*err);
  }
  call.key_id = k->id;
  call.key_name = k->name;
  Authorized a{*k, Settings()};
  a.settings.apply_rows(r.rows(1));
  for (size_t i = 0; i < n_reads; ++i) a.reads.push_back(r.rows(2 + i));
  co_return a;
}

} // namespace g2a::app
