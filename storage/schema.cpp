// The schema: every migration's SQL, in order (the texts are in schema_federation.hpp and
// schema_civic.hpp). A new migration gets the next number and goes at the end of kMigrations.
// The runner is in migrations.cpp.
#include "storage/migrations.hpp"
#include "storage/schema_civic.hpp"
#include "storage/schema_federation.hpp"

#include <array>

namespace civicpub::storage {
namespace {

constexpr std::array kMigrations = {
    Migration{1, schema::kMigration1},
    Migration{2, schema::kMigration2},
    Migration{3, schema::kMigration3},
    Migration{4, schema::kMigration4},
    Migration{5, schema::kMigration5},
    Migration{6, schema::kMigration6},
    Migration{7, schema::kMigration7},
    Migration{8, schema::kMigration8},
    Migration{9, schema::kMigration9},
    Migration{10, schema::kMigration10},
    Migration{11, schema::kMigration11},
    Migration{12, schema::kMigration12},
    Migration{13, schema::kMigration13},
    Migration{14, schema::kMigration14},
    Migration{15, schema::kMigration15},
    Migration{16, schema::kMigration16},
    Migration{17, schema::kMigration17},
    Migration{18, schema::kMigration18},
};

}  // namespace

std::span<const Migration> migrations() noexcept { return kMigrations; }

int latest_schema_version() noexcept { return kMigrations.back().version; }

}  // namespace civicpub::storage
