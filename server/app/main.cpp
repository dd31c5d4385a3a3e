#include "server/cli/cli.hpp"

int main(int argc, char** argv) { return civicpub::server::run_cli(argc, argv); }
