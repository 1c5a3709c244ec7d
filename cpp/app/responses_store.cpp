// Stored responses: SQL (parameterised only) and JSON conversions (see responses_store.h).
#include "app/responses_store.h"

namespace g2a::app {

fx::Stmt stored_response_select(std::string_view id) {
  return {"SELECT id, key_id, created_at, model, status, turns, input_items, response, "
          "grok_conversation_id, grok_response_id, grok_token_id FROM responses WHERE id = ?1",
          json::array({std::string(id)})};
}

std::optional<StoredResponse> stored_response_from_rows(const json &rows, std::string_view key_id) {
  if (!rows.is_array() || rows.empty()) return std::nullopt;
  const json &row = rows[0];
  StoredResponse r;
  r.id = str_or(row, "id");
  r.key_id = str_or(row, "key_id");
  if (r.id.empty() || key_id.empty() || r.key_id != key_id) return std::nullopt;
  r.created_at = int_or(row, "created_at");
  r.model = str_or(row, "model");
  r.status = str_or(row, "status");
  auto field = [&](const char *k, json fallback) {
    auto parsed = parse_json(str_or(row, k));
    return parsed && parsed->type() == fallback.type() ? std::move(*parsed) : fallback;
  };
  r.turns = field("turns", json::array());
  r.input_items = field("input_items", json::array());
  r.response = field("response", json::object());
  r.grok_conversation_id = str_or(row, "grok_conversation_id");
  r.grok_response_id = str_or(row, "grok_response_id");
  r.grok_token_id = str_or(row, "grok_token_id");
  return r;
}

std::optional<fx::Stmt> stored_response_insert(const StoredResponse &r) {
  std::string turns = dump(r.turns), items = dump(r.input_items),
              response = r.response_text.empty() ? dump(r.response) : r.response_text;
  if (turns.size() + items.size() + response.size() > kMaxStoredResponseBytes) return std::nullopt;
  auto text_or_null = [](const std::string &s) { return s.empty() ? json(nullptr) : json(s); };
  return fx::Stmt{
      "INSERT OR IGNORE INTO responses (id, key_id, created_at, model, status, "
      "turns, input_items, response, grok_conversation_id, grok_response_id, "
      "grok_token_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
      json::array({r.id, r.key_id, r.created_at, r.model, r.status, std::move(turns),
                   std::move(items), std::move(response), text_or_null(r.grok_conversation_id),
                   text_or_null(r.grok_response_id), text_or_null(r.grok_token_id)})};
}

std::optional<Continuation> continuation_of(const StoredResponse &r) {
  if (r.grok_conversation_id.empty() || r.grok_response_id.empty() || r.grok_token_id.empty())
    return std::nullopt;
  Continuation c;
  c.token_id = r.grok_token_id;
  c.conversation_id = r.grok_conversation_id;
  c.parent_response_id = r.grok_response_id;
  return c;
}

fx::Stmt stored_response_delete(std::string_view id, std::string_view key_id) {
  return {"DELETE FROM responses WHERE id = ?1 AND key_id = ?2",
          json::array({std::string(id), std::string(key_id)})};
}

fx::Stmt stored_responses_prune(long long cutoff_ms) {
  return {"DELETE FROM responses WHERE created_at < ?1", json::array({cutoff_ms})};
}

json turns_json(const std::vector<answer::Turn> &turns) {
  json out = json::array();
  for (const auto &t : turns) {
    json j{{"role", t.role}, {"text", t.text}};
    if (!t.images.empty()) {
      json images = json::array();
      for (const auto &im : t.images) images.push_back({{"url", im.url}, {"detail", im.detail}});
      j["images"] = std::move(images);
    }
    if (!t.tool_calls.empty()) {
      json calls = json::array();
      for (const auto &c : t.tool_calls)
        calls.push_back({{"id", c.id}, {"name", c.name}, {"arguments", c.arguments}});
      j["tool_calls"] = std::move(calls);
    }
    if (!t.tool_call_id.empty()) j["tool_call_id"] = t.tool_call_id;
    if (!t.name.empty()) j["name"] = t.name;
    out.push_back(std::move(j));
  }
  return out;
}

std::vector<answer::Turn> turns_from_json(const json &j) {
  std::vector<answer::Turn> out;
  if (!j.is_array()) return out;
  for (const auto &e : j) {
    answer::Turn t;
    t.role = str_or(e, "role");
    if (t.role.empty()) continue;
    t.text = str_or(e, "text");
    for (const auto &im : jget(e, "images"))
      t.images.push_back({str_or(im, "url"), str_or(im, "detail"), "previous_response_id"});
    for (const auto &c : jget(e, "tool_calls"))
      t.tool_calls.push_back({str_or(c, "id"), str_or(c, "name"), str_or(c, "arguments")});
    t.tool_call_id = str_or(e, "tool_call_id");
    t.name = str_or(e, "name");
    out.push_back(std::move(t));
  }
  return out;
}

json input_items_json(const std::vector<answer::Turn> &input, const std::string &seed) {
  json items = json::array();
  auto id = [&](const char *prefix) { return prefix + seed + "i" + std::to_string(items.size()); };
  for (const auto &t : input) {
    if (t.role == "tool") {
      items.push_back({{"id", id("fco_")},
                       {"type", "function_call_output"},
                       {"call_id", t.tool_call_id},
                       {"output", t.text},
                       {"status", "completed"}});
      continue;
    }
    if (!t.text.empty() || !t.images.empty()) {
      json content = json::array();
      bool assistant = t.role == "assistant";
      if (!t.text.empty()) {
        json part{{"type", assistant ? "output_text" : "input_text"}, {"text", t.text}};
        if (assistant) part["annotations"] = json::array();
        content.push_back(std::move(part));
      }
      for (const auto &im : t.images)
        content.push_back({{"type", "input_image"},
                           {"image_url", im.url},
                           {"detail", im.detail.empty() ? "auto" : im.detail}});
      items.push_back({{"id", id("msg_")},
                       {"type", "message"},
                       {"role", t.role},
                       {"status", "completed"},
                       {"content", std::move(content)}});
    }
    for (const auto &c : t.tool_calls)
      items.push_back({{"id", id("fc_")},
                       {"type", "function_call"},
                       {"call_id", c.id},
                       {"name", c.name},
                       {"arguments", c.arguments},
                       {"status", "completed"}});
  }
  return items;
}

std::vector<answer::Turn> replay_turns(const StoredResponse &r) {
  std::vector<answer::Turn> turns = turns_from_json(r.turns);
  answer::Turn answer;
  answer.role = "assistant";
  for (const auto &item : jget(r.response, "output")) {
    const std::string type = str_or(item, "type");
    if (type == "function_call" || type == "custom_tool_call") { // the calls the answer made
      answer.tool_calls.push_back({str_or(item, "call_id"), str_or(item, "name"),
                                   str_or(item, type == "function_call" ? "arguments" : "input")});
      continue;
    }
    if (type != "message") continue;
    for (const auto &part : jget(item, "content"))
      if (str_or(part, "type") == "output_text") answer.text += str_or(part, "text");
  }
  if (!answer.text.empty() || !answer.tool_calls.empty()) turns.push_back(std::move(answer));
  return turns;
}

ApiError response_not_found(std::string_view id) {
  ApiError e =
      invalid_request("Response with id '" + std::string(id) + "' not found.", {}, "not_found");
  e.status = 404;
  return e;
}

ApiError previous_response_not_found(std::string_view id) {
  return invalid_request("Previous response with id '" + std::string(id) + "' not found.",
                         "previous_response_id", "previous_response_not_found");
}

} // namespace g2a::app
