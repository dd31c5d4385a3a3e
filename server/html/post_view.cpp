#include "server/html/post_view.hpp"

namespace civicpub::server::html {

AuthorView author_view(const storage::ActorRecord& actor) {
  AuthorView author;
  author.display_name = actor.display_name;
  author.username = actor.username;
  author.domain = actor.domain;
  author.profile_url = actor.url.empty() ? actor.uri : actor.url;
  return author;
}

}  // namespace civicpub::server::html
