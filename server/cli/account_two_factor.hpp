// `civicpub account 2fa enable|disable NAME` (account_two_factor.cpp).
#pragma once

#include "server/cli/command_table.hpp"

namespace civicpub::server {

void add_account_two_factor_commands(CLI::App& account, CommandTable& table);  // 2fa

}  // namespace civicpub::server
