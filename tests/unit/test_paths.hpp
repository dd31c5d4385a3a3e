// Where the unit tests find the repository's files. The build generates the definitions from
// tests/unit/test_paths.cpp.in and links them into each test executable. They used to be -D
// options, but a checkout's absolute path on every test's command line made every test compile,
// and the tests' precompiled header, a ccache miss in any other clone.
#pragma once

namespace civicpub::test {

extern const char* const source_dir;    // the repository's top directory
extern const char* const fixtures_dir;  // tests/fixtures

}  // namespace civicpub::test

#define CIVICPUB_SOURCE_DIR (::civicpub::test::source_dir)
#define CIVICPUB_FIXTURES_DIR (::civicpub::test::fixtures_dir)
