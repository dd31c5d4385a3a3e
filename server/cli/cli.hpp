#pragma once

namespace civicpub::server {

// Parses the command line and runs the command. Exit codes: 0 success, 1 runtime failure (a
// one-line reason on stderr), 2 usage error.
int run_cli(int argc, char** argv);

}  // namespace civicpub::server
