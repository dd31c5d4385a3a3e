// One post as an <article>, shared by the profile's post list and the thread page.
#pragma once

#include "server/html/post_view.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace civicpub::server::html {

// "@user@domain", or the domain alone when the username is not one a server may have (another
// server chose it: it may hold '@', spaces, bidi or invisible characters; federation/text/names).
std::string handle(const AuthorView& author);

// The display name without bidi, zero-width or control characters, else the username (when
// safe), else the domain.
std::string shown_name(const AuthorView& author);

struct ArticleOptions {
  bool current = false;     // the post this page is about: aria-current, id="current"
  bool show_author = true;  // off on a profile, where every post has the same author
};

// Appends `<article class="post">`: author, title, content (behind a <details> when there is a
// content warning), and a footer with the time linking to the post's page, the reply count, the
// like and share counts when there are any, and for a remote post a link to the original. A
// deleted or withheld post becomes a short placeholder that shows nothing of what it was.
void append_post_article(std::string& out, const PostView& post, const ArticleOptions& options);

// "1 like", "3 shares": `count` and the singular or plural word.
std::string count_text(std::int64_t count, std::string_view one, std::string_view many);

// "No replies", "1 reply", "12 replies"
std::string reply_count_text(std::int64_t count);

}  // namespace civicpub::server::html
