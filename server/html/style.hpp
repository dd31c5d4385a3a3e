// The one stylesheet every page inlines. Pages load nothing from elsewhere: no fonts, no
// scripts, no images of our own, so a page is one request and works on a slow phone connection.
#pragma once

#include <string_view>

namespace civicpub::server::html {

std::string_view stylesheet();

}  // namespace civicpub::server::html
