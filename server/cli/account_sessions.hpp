// `civicpub account sessions` (account_sessions.cpp).
#pragma once

#include "server/cli/command_table.hpp"

namespace civicpub::server {

void add_account_session_commands(CLI::App& account, CommandTable& table);  // sessions

}  // namespace civicpub::server
