// The TOML config file: every input is a Config or a ConfigError naming the key.
#include "server/config/config.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    (void)civicpub::server::parse_config(input, "/nonexistent");
  } catch (const civicpub::server::ConfigError&) {
  }
  return 0;
}
