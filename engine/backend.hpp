// How a URL scheme becomes a Storage: the factory each backend provides, and what it is told
// about the cluster it opens for. The table of factories is backends/backends.cpp; users add
// theirs with cachet::register_backend (<cachet/storage.hpp>).
#pragma once

#include "error.hpp"
#include "eviction_policy.hpp"
#include "storage.hpp"
#include "url.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

namespace cachet::engine {

// What a factory knows besides the URL.
struct BackendContext {
  std::string_view cluster;                           // the cluster's name
  EvictionPolicy eviction_policy = EvictionPolicy::AllKeysLRU;  // the cluster's configured policy
  std::optional<std::uint64_t> seed = {};             // set in test scopes: fix every random choice
};

// Opens the storage a URL names. A malformed URL or option is Errc::not_configured (say what
// is wrong with Url::error); a backend should connect lazily, on first use, so that opening
// never blocks.
using BackendFactory = std::function<Result<std::unique_ptr<Storage>>(const Url&, const BackendContext&)>;

}  // namespace cachet::engine

namespace cachet {

// Makes `scheme://...` URLs open storage through `factory`, in every environment that takes
// a URL. Call it before the first cluster with such a URL is used. A scheme may be
// registered once; the built-in ones (memory, redis, unix) cannot be replaced. Throws
// cachet::ConfigError for a scheme that is taken or not of the form [a-z][a-z0-9+.-]*.
void register_backend(std::string_view scheme, engine::BackendFactory factory);

}  // namespace cachet
