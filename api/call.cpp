#include "cachet/keyspace.hpp"

namespace cachet::detail {

std::atomic<CallListener> call_listener{nullptr};

void set_call_listener(CallListener listener) noexcept { call_listener.store(listener, std::memory_order_relaxed); }

}  // namespace cachet::detail
