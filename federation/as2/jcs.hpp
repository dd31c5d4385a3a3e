// The JSON Canonicalization Scheme (RFC 8785): one byte sequence per JSON value, so that a
// signature over it survives re-serialization by the sender, a forwarder and the recipient. The
// eddsa-jcs-2022 cryptosuite (FEP-8b32 integrity proofs) hashes documents in this form.
//
// Object members are sorted by the UTF-16 code units of their names, there is no whitespace,
// strings escape only what JSON requires (`"`, `\`, and control characters: \b \f \n \r \t and
// otherwise \u00xx in lowercase hex), and every number is written as ECMAScript's
// Number.prototype.toString writes the IEEE double it denotes.
//
// Numbers must reach this code exactly as the sender wrote them: parse with full precision
// (as2::parse_json does) or a signed 25.273962 may come back one ulp off and fail to verify.
#pragma once

#include "common/error_kind.hpp"

#include <rapidjson/document.h>

#include <cstddef>
#include <string>

namespace civicpub::federation::as2 {

// Recursion limit; parse_json already stops at 32.
inline constexpr std::size_t kMaxJcsDepth = 64;

// Errors (ProofError): number_not_finite, invalid_utf8, duplicate_member, too_deep.
Result<std::string> canonicalize_json(const rapidjson::Value& value);

// ECMAScript Number::toString(value) (ECMA-262 section 6.1.6.1.20): the shortest decimal that
// reads back as `value`, plain notation from 1e-6 up to 1e21, exponent form ("1e+21", "1e-7")
// beyond, -0 as "0". Errors: number_not_finite.
Result<std::string> format_es_number(double value);

}  // namespace civicpub::federation::as2
