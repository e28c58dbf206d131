#include "notice.hpp"

#include <cstdio>

namespace cachet::engine {

void notice(std::string_view text) {
  std::fprintf(stderr, "cachet: %.*s\n", int(text.size()), text.data());
}

}  // namespace cachet::engine
