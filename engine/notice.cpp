#include "notice.hpp"

#include <atomic>
#include <cstdio>

namespace cachet::engine {
namespace {

std::atomic<NoticeSink> sink{nullptr};

}  // namespace

void set_notice_sink(NoticeSink s) noexcept { sink.store(s, std::memory_order_release); }

void notice(std::string_view text) {
  if (NoticeSink s = sink.load(std::memory_order_acquire)) {
    s(text);
    return;
  }
  std::fprintf(stderr, "cachet: %.*s\n", int(text.size()), text.data());
}

}  // namespace cachet::engine
