// Reading a password for `account create --password-stdin` and `account password NAME`: the
// first line of standard input (a password never goes on the command line, where `ps` and shell
// histories would show it).
#pragma once

#include <istream>
#include <optional>
#include <string>

namespace civicpub::server {

// The first line, without its line ending; at most 4096 bytes are read.
std::string read_password(std::istream& in);

// Why the password cannot be used (too short, too long), or nullopt.
std::optional<std::string> password_problem(const std::string& password);

}  // namespace civicpub::server
