// What one inbound activity costs before it is queued, piece by piece: verifying its draft-cavage
// signature (PEM parse + RSA-2048 verify + Digest), signing an outbound delivery, parsing the
// JSON with limits, and sanitizing remote HTML with Gumbo. bench/run compares the signature
// numbers with `openssl speed rsa2048` on the same machine: the verify path should cost little
// more than OpenSSL's raw RSA verify.
#include "federation/as2/reader.hpp"
#include "federation/crypto/rsa_key.hpp"
#include "federation/signatures/cavage_signature.hpp"
#include "federation/signatures/cavage_signer.hpp"
#include "federation/signatures/cavage_verifier.hpp"
#include "federation/text/sanitizer.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <string>

namespace sig = civicpub::federation::signatures;

namespace {

const civicpub::federation::crypto::RsaKeyPair& keys() {
  static const auto pair = civicpub::federation::crypto::generate_rsa_key_pair(2048);
  return pair;
}

// A Mastodon-sized Create{Note} (about 2 KB).
std::string activity() {
  std::string content;
  for (int i = 0; i < 12; ++i) {
    content += "<p>Reply number " + std::to_string(i) +
               " about the <a href=\\\"https://town.example/tags/plein\\\" class=\\\"mention "
               "hashtag\\\" rel=\\\"tag\\\">#<span>plein</span></a> plan.</p>";
  }
  return R"({"@context":["https://www.w3.org/ns/activitystreams"],)"
         R"("id":"https://far.example/users/ann/statuses/1/activity","type":"Create",)"
         R"("actor":"https://far.example/users/ann","published":"2026-11-22T10:00:00Z",)"
         R"("to":["https://www.w3.org/ns/activitystreams#Public"],)"
         R"("cc":["https://far.example/users/ann/followers"],)"
         R"("object":{"id":"https://far.example/users/ann/statuses/1","type":"Note",)"
         R"("attributedTo":"https://far.example/users/ann","content":")" +
         content +
         R"(","inReplyTo":"https://town.example/users/gemeente/statuses/1",)"
         R"("tag":[{"type":"Mention","href":"https://town.example/users/gemeente",)"
         R"("name":"@gemeente@town.example"}]}})";
}

sig::HeaderList signed_headers(const std::string& body, std::chrono::system_clock::time_point now) {
  sig::HeaderList headers{{"Content-Type", "application/activity+json"}};
  sig::CavageSignInput in{"POST", "/inbox", "town.example", body,
                          "https://far.example/users/ann#main-key", keys().private_pem, now};
  if (!sig::sign_request(in, headers)) std::abort();
  return headers;
}

void BM_SignDelivery(benchmark::State& state) {
  const auto body = activity();
  const auto now = std::chrono::system_clock::now();
  for (auto _ : state) {
    auto headers = signed_headers(body, now);
    benchmark::DoNotOptimize(headers);
  }
}
BENCHMARK(BM_SignDelivery)->Unit(benchmark::kMicrosecond);

void BM_VerifyInbound(benchmark::State& state) {
  const auto body = activity();
  const auto now = std::chrono::system_clock::now();
  const auto headers = signed_headers(body, now);
  for (auto _ : state) {
    auto parsed = sig::parse_request_signature(headers);
    if (!parsed) std::abort();
    sig::SignedRequestView view{"POST", "/inbox", headers, body};
    auto ok = sig::verify_cavage(*parsed, view, keys().public_pem, now);
    if (!ok) std::abort();
  }
}
BENCHMARK(BM_VerifyInbound)->Unit(benchmark::kMicrosecond);

void BM_ParseActivity(benchmark::State& state) {
  const auto body = activity();
  for (auto _ : state) {
    auto doc = civicpub::federation::as2::parse_json(body);
    if (!doc) std::abort();
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_ParseActivity)->Unit(benchmark::kMicrosecond);

void BM_SanitizeHtml(benchmark::State& state) {
  std::string html;
  for (int i = 0; i < 12; ++i) {
    html += "<p onclick=\"x()\">Reply <b>number</b> " + std::to_string(i) +
            " <a href=\"https://town.example/tags/plein\" class=\"mention hashtag\">#plein</a>"
            "<script>alert(1)</script><a href=\"javascript:alert(2)\">x</a></p>";
  }
  for (auto _ : state) {
    auto clean = civicpub::federation::text::sanitize_html(html);
    benchmark::DoNotOptimize(clean);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * html.size()));
}
BENCHMARK(BM_SanitizeHtml)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
