// What one inbound activity costs before it is queued, piece by piece: verifying its draft-cavage
// signature (PEM parse + RSA-2048 verify + Digest), signing an outbound delivery, parsing the
// JSON with limits, and sanitizing remote HTML with Gumbo. bench/run compares the signature
// numbers with `openssl speed rsa2048` on the same machine: the verify path should cost little
// more than OpenSSL's raw RSA verify. And what queueing one post for many servers costs the
// database writer (BM_EnqueueActivity).
#include "federation/as2/reader.hpp"
#include "federation/crypto/rsa_key.hpp"
#include "federation/delivery/outbox.hpp"
#include "federation/signatures/cavage_signature.hpp"
#include "federation/signatures/cavage_signer.hpp"
#include "federation/signatures/cavage_verifier.hpp"
#include "federation/text/sanitizer.hpp"
#include "storage/actors.hpp"
#include "storage/database.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

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

// One post queued for range(0) servers (one shared inbox each) in one write job of the writer,
// as a post by an account with that many following servers is: the rows, the commit, and the
// inboxes made distinct first. Each iteration queues a new activity in a fresh database file.
void BM_EnqueueActivity(benchmark::State& state) {
  namespace storage = civicpub::storage;
  const auto servers = static_cast<std::size_t>(state.range(0));
  std::vector<std::string> inboxes;
  inboxes.reserve(servers);
  for (std::size_t i = 0; i < servers; ++i) {
    // Long shared prefixes, as real inbox URLs of one kind of server have.
    inboxes.push_back("https://server-" + std::to_string(i) + ".example/inbox");
  }
  std::sort(inboxes.begin(), inboxes.end());  // as audience_inboxes hands them over
  const auto body = activity();
  char dir_template[] = "/tmp/civicpub-bench-XXXXXX";
  if (!mkdtemp(dir_template)) std::abort();
  const std::filesystem::path dir(dir_template);
  int round = 0;
  for (auto _ : state) {
    state.PauseTiming();
    storage::DatabaseOptions options;
    options.path = (dir / ("enqueue-" + std::to_string(round) + ".db")).string();
    auto db = storage::Database::open(options);
    if (!db) std::abort();
    storage::ActorRecord town;
    town.uri = "https://town.example/users/gemeente";
    town.local = true;
    town.type = "Organization";
    town.username = "gemeente";
    town.domain = "town.example";
    town.inbox = town.uri + "/inbox";
    town.key_id = town.uri + "#main-key";
    town.created_at = town.updated_at = 1;
    auto town_id = (*db)->write_sync(
        [&](storage::Connection& c) { return storage::actors::insert_local(c, town); });
    if (!town_id) std::abort();
    const std::string activity_id = "https://town.example/activities/" + std::to_string(round);
    state.ResumeTiming();
    auto queued = (*db)->write_sync([&](storage::Connection& c) {
      return civicpub::federation::enqueue_activity(c, activity_id, *town_id, body, inboxes, 1);
    });
    state.PauseTiming();
    if (!queued || *queued != servers) std::abort();
    (*db)->close();
    db->reset();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directory(dir);
    ++round;
    state.ResumeTiming();
  }
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * servers));
}
BENCHMARK(BM_EnqueueActivity)->Arg(2000)->Arg(20000)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
