// AS2 reading: the JSON reader with its limits, then the activity envelope, the post (Note,
// Question, Article, Page) reader and the actor document reader on whatever parsed.
#include "federation/as2/envelope.hpp"
#include "federation/as2/reader.hpp"
#include "federation/convert/post_reader.hpp"
#include "federation/remote/actor_document.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace as2 = civicpub::federation::as2;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto doc = as2::parse_json(input);
  if (!doc) return 0;
  if (auto envelope = as2::read_envelope(*doc); envelope && envelope->object != nullptr) {
    (void)civicpub::federation::convert::read_post(*envelope->object);
  }
  (void)civicpub::federation::convert::read_post(*doc);
  const std::string requested = as2::member_id(*doc, "id").value_or("https://a.example/u");
  (void)civicpub::federation::read_actor_document(*doc, input, requested);
  (void)as2::ids_of(*doc);
  (void)as2::author_of(*doc);
  return 0;
}
