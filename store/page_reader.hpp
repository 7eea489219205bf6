#pragma once

#include <cstdint>

#include "store/records.hpp"
#include "store/statement.hpp"

namespace icemu::store {

/// Reads up to `limit` rows of a query that asked for limit + 1, and notes where the next page
/// starts: column `key_column` (the keyset position) of the last row kept.
template <typename Row, typename Read>
page<Row> read_page(statement& s, std::int64_t limit, Read read, int key_column = 0) {
    page<Row> out;
    std::int64_t last = 0;
    while (s.step()) {
        if (static_cast<std::int64_t>(out.rows.size()) == limit) {
            out.next_after = last;
            break;
        }
        last = s.column_int64(key_column);
        out.rows.push_back(read(s));
    }
    return out;
}

} // namespace icemu::store
