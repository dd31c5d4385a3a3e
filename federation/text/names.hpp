// Names other servers choose for their accounts, made safe to show. A handle on a page
// (@user@host) tells a resident who wrote something and where; a hostile server must not be able
// to make its account read as another server's ("gemeente@town.example" as a preferredUsername
// on evil.example), reverse the text around it (bidi controls) or hide characters in it
// (zero-width and control characters). Issue 11, item 8.
#pragma once

#include <string>
#include <string_view>

namespace civicpub::federation::text {

// A username as Mastodon accepts one (Account::USERNAME_RE, for remote accounts too): 1 to 64
// of A-Z a-z 0-9 _ . -, starting and ending with a letter, digit or '_'. No '@', no spaces, no
// Unicode, so "@user@host" built from it names exactly one host.
bool is_safe_username(std::string_view username);

// "@username@domain" when the username is safe (is_safe_username), else the domain alone: a
// resident still sees which server the account is on, and nothing the server chose to look like
// another account.
std::string shown_handle(std::string_view username, std::string_view domain);

// A display name without bidi controls (U+061C, U+200E/F, U+202A-E, U+2066-9), zero-width
// characters (U+200B-D, U+2060, U+FEFF), other control characters (C0, C1) or invalid UTF-8;
// whitespace runs become one space, trimmed; at most 100 code points.
std::string safe_display_name(std::string_view name);

}  // namespace civicpub::federation::text
