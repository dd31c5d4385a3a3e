#include "federation/signatures/freshness.hpp"

namespace civicpub::federation::signatures {

Result<void> check_freshness(SysSeconds signed_at, std::optional<SysSeconds> expires,
                             std::chrono::system_clock::time_point now,
                             const VerifyOptions& options) {
  if (signed_at > now + options.max_future) return SignatureError::date_in_future;
  if (now > signed_at + options.max_age) return SignatureError::date_too_old;
  if (expires && now > *expires + options.max_future) return SignatureError::date_too_old;
  return {};
}

}  // namespace civicpub::federation::signatures
