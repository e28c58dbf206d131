// Notices: one line a backend wants an operator to read (the development purge, for now).
// They go to stderr.
#pragma once

#include <string_view>

namespace cachet::engine {

void notice(std::string_view text);

}  // namespace cachet::engine
