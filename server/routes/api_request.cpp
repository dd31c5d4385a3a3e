#include "server/routes/api_request.hpp"

#include "server/http/media_type.hpp"
#include "server/http/api_status.hpp"
#include "server/http/response.hpp"
#include "server/services/oauth_service.hpp"
#include "server/services/staff.hpp"

#include "federation/as2/reader.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>

namespace civicpub::server::routes {
namespace bhttp = boost::beast::http;
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool add_form(Params& params, std::string_view text, std::size_t& count) {
  std::size_t i = 0;
  while (i <= text.size()) {
    auto end = text.find('&', i);
    if (end == std::string_view::npos) end = text.size();
    const auto pair = text.substr(i, end - i);
    if (!pair.empty()) {
      if (++count > Params::kMaxParams) return false;
      const auto eq = pair.find('=');
      auto name = form_decode(pair.substr(0, eq));
      auto value = form_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
      if (!name || !value) return false;
      params.add(std::move(*name), std::move(*value));
    }
    i = end + 1;
  }
  return true;
}

std::optional<std::string> scalar(const rapidjson::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsBool()) return std::string(v.GetBool() ? "true" : "false");
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsDouble()) return std::to_string(v.GetDouble());
  return std::nullopt;  // null, arrays and objects
}

bool add_json(Params& params, std::string_view body, std::size_t& count) {
  // The same bounded, non-recursive parser as for peers' documents: an attacker's deeply nested
  // body must not exhaust the stack (parsing or destroying a DOM recurses per level otherwise).
  federation::as2::ParseLimits limits;
  limits.max_depth = 4;
  limits.max_array = Params::kMaxParams;
  limits.max_members = Params::kMaxParams;
  limits.refuse_duplicate_keys = false;
  auto parsed = federation::as2::parse_json(body, limits);
  if (!parsed || !parsed->IsObject()) return false;
  const rapidjson::Document& doc = *parsed;
  for (const auto& m : doc.GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    auto add = [&](std::string key, const rapidjson::Value& v) {
      auto text = scalar(v);
      if (!text) return true;
      if (++count > Params::kMaxParams) return false;
      params.add(std::move(key), std::move(*text));
      return true;
    };
    if (m.value.IsArray()) {
      for (const auto& item : m.value.GetArray()) {
        if (!add(name, item)) return false;
      }
    } else if (m.value.IsObject()) {  // one level: {"poll": {"expires_in": 60}} -> poll[expires_in]
      for (const auto& sub : m.value.GetObject()) {
        std::string key = name + "[" + std::string(sub.name.GetString(), sub.name.GetStringLength()) + "]";
        if (sub.value.IsArray()) {
          for (const auto& item : sub.value.GetArray()) {
            if (!add(key, item)) return false;
          }
        } else if (!add(key, sub.value)) {
          return false;
        }
      }
    } else if (!add(name, m.value)) {
      return false;
    }
  }
  return true;
}

// multipart/form-data (RFC 7578): text parts become parameters; file parts are skipped (civicpub
// has no media uploads yet).
bool add_multipart(Params& params, std::string_view body, std::string_view boundary,
                   std::size_t& count) {
  if (boundary.empty() || boundary.size() > 70) return false;
  const std::string delimiter = "--" + std::string(boundary);
  auto pos = body.find(delimiter);
  if (pos == std::string_view::npos) return false;
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return true;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return false;
    pos += 2;
    const auto headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return false;
    const auto headers = body.substr(pos, headers_end - pos);
    const auto content_start = headers_end + 4;
    const auto next = body.find("\r\n" + delimiter, content_start);
    if (next == std::string_view::npos) return false;
    const auto content = body.substr(content_start, next - content_start);
    std::string lower(headers);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto name_at = lower.find("name=\"");
    if (name_at != std::string::npos && lower.find("filename=") == std::string::npos) {
      const auto name_end = headers.find('"', name_at + 6);
      if (name_end == std::string_view::npos) return false;
      if (++count > Params::kMaxParams) return false;
      params.add(std::string(headers.substr(name_at + 6, name_end - name_at - 6)),
                 std::string(content));
    }
    pos = next + 2;
  }
}

}  // namespace

std::vector<std::string> api_body_types() {
  return {"application/x-www-form-urlencoded", "application/json", "multipart/form-data"};
}

std::optional<std::string> form_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string form_encode(std::string_view text) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 0xf];
    }
  }
  return out;
}

void Params::add(std::string name, std::string value) {
  if (name.size() > 2 && name.ends_with("[]")) name.resize(name.size() - 2);
  values_.emplace_back(std::move(name), std::move(value));
}

std::optional<Params> Params::from_query(std::string_view query) {
  Params params;
  std::size_t count = 0;
  if (!add_form(params, query, count)) return std::nullopt;
  return params;
}

std::optional<Params> Params::from(const http::RequestContext& ctx) {
  Params params;
  std::size_t count = 0;
  if (!add_form(params, ctx.query, count)) return std::nullopt;
  const auto body = ctx.body();
  const auto type_header = ctx.header("Content-Type");
  if (body.empty() || !type_header) return params;
  const auto media = http::parse_media_type(*type_header);
  if (!media) return std::nullopt;
  const auto essence = media->essence();
  bool ok = true;
  if (essence == "application/x-www-form-urlencoded") {
    ok = add_form(params, body, count);
  } else if (essence == "application/json") {
    ok = add_json(params, body, count);
  } else if (essence == "multipart/form-data") {
    ok = add_multipart(params, body, media->param("boundary").value_or(""), count);
  }
  if (!ok) return std::nullopt;
  return params;
}

std::optional<std::string> Params::get(std::string_view name) const {
  for (const auto& [k, v] : values_) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::vector<std::string> Params::all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : values_) {
    if (k == name) out.push_back(v);
  }
  return out;
}

bool Params::flag(std::string_view name) const {
  auto v = get(name);
  if (!v) return false;
  std::string lower = *v;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "true" || lower == "1" || lower == "on" || lower == "yes";
}

std::string_view bearer_token(const http::RequestContext& ctx) {
  auto header = ctx.header("Authorization");
  if (!header) return {};
  std::string_view value = *header;
  if (value.size() < 7) return {};
  std::string scheme(value.substr(0, 7));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != "bearer ") return {};
  value.remove_prefix(7);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return value;
}

std::variant<services::TokenGrant, http::Response> authorize(const ApiDeps& deps,
                                                             const http::RequestContext& ctx,
                                                             std::string_view scope,
                                                             bool need_account) {
  const auto token = bearer_token(ctx);
  if (token.empty()) {
    auto res = http::error_response(bhttp::status::unauthorized, "The access token is invalid");
    res.set(bhttp::field::www_authenticate, "Bearer realm=\"civicpub\"");
    return res;
  }
  auto grant = deps.oauth.authenticate_token(token);
  if (!grant) {
    if (civicpub::kind_of(grant.error()) != civicpub::ErrorKind::unauthorized) {
      return api_error(deps, ctx, grant.error());
    }
    auto res = http::error_response(bhttp::status::unauthorized, grant.error().message());
    res.set(bhttp::field::www_authenticate,
            "Bearer realm=\"civicpub\", error=\"invalid_token\"");
    return res;
  }
  if (!scope.empty() && !grant->scopes.grants(scope)) {
    return http::error_response(bhttp::status::forbidden,
                                "This action is outside the authorized scopes");
  }
  if (need_account && !grant->account) {
    return http::error_response(bhttp::status::unprocessable_entity,
                                "This method requires an authenticated user");
  }
  return std::move(*grant);
}

std::variant<std::optional<services::TokenGrant>, http::Response> optional_authorize(
    const ApiDeps& deps, const http::RequestContext& ctx, std::string_view scope) {
  if (bearer_token(ctx).empty()) return std::optional<services::TokenGrant>();
  auto grant = authorize(deps, ctx, scope, false);
  if (auto* res = std::get_if<http::Response>(&grant)) return std::move(*res);
  return std::optional<services::TokenGrant>(std::move(std::get<services::TokenGrant>(grant)));
}

http::Response api_json(std::string body) {
  return http::json_response(bhttp::status::ok, std::move(body));
}

http::Response api_error(const ApiDeps& deps, const http::RequestContext& ctx,
                         const boost::system::error_code& ec) {
  const auto kind = civicpub::kind_of(ec);
  if (kind == civicpub::ErrorKind::internal || kind == civicpub::ErrorKind::transient) {
    if (deps.log) {
      deps.log->warn("{} {} failed: {}", ctx.req.method_string(), ctx.path, ec.message());
    }
    return http::error_response(http::api_status_for(kind),
                                kind == civicpub::ErrorKind::internal ? "internal error"
                                                                      : "try again later");
  }
  if (kind == civicpub::ErrorKind::not_found) {
    return http::error_response(bhttp::status::not_found, "Record not found");
  }
  return http::error_response(http::api_status_for(kind), ec.message());
}

boost::asio::awaitable<void> audit_write(const ApiDeps& deps, const services::TokenGrant& grant,
                                         std::string action, std::string object_uri) {
  storage::AuditRecord entry;
  entry.account_id = grant.account->id;
  entry.staff_id = grant.staff ? grant.staff->id : grant.account->id;
  entry.app_id = grant.app.id;
  entry.action = std::move(action);
  entry.object_uri = std::move(object_uri);
  entry.created_at = deps.clock();
  auto recording = services::record_audit(deps.db, std::move(entry));
  auto recorded = co_await std::move(recording);
  if (!recorded && deps.log) {
    deps.log->error("audit log entry for {} failed: {}", grant.account->username,
                    recorded.error().message());
  }
}

std::variant<std::optional<services::TokenGrant>, http::Response> optional_reader(
    const ApiDeps& deps, const http::RequestContext& ctx) {
  return optional_authorize(deps, ctx, "read:statuses");
}

views::ApiView api_view(const ApiDeps& deps, const services::TokenGrant* grant) {
  views::ApiView view{deps.instance, std::nullopt, deps.clock()};
  if (grant && grant->account) view.viewer_id = grant->account->id;
  return view;
}

}  // namespace civicpub::server::routes
