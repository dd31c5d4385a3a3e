// Times as readers see them. The pages have no script to localise a time, so they show UTC
// in words and put the exact instant in <time datetime>, which browsers and readers can use.
#pragma once

#include "storage/records.hpp"

#include <string>

namespace civicpub::server::html {

// "22 Nov 2026, 18:32 UTC"
std::string readable_utc(storage::Millis at);

// `<time datetime="2026-11-22T18:32:44.123Z">22 Nov 2026, 18:32 UTC</time>`
std::string time_element(storage::Millis at);

}  // namespace civicpub::server::html
