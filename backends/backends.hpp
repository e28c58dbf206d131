// The one place that knows every backend: opens the storage a URL or the environment names.
#pragma once

#include "engine/eviction_policy.hpp"
#include "engine/storage.hpp"
#include "engine/url.hpp"

#include <cstdint>
#include <memory>
#include <string_view>

namespace cachet::backends {

// Opens the backend a parsed URL names, for the named cluster.
Result<std::unique_ptr<engine::Storage>> open(const engine::BackendUrl& url, std::string_view cluster,
                                              EvictionPolicy policy);

// The storage the environment chooses for a cluster (CACHET_ENV, its URL, the development
// bound). Never fails: a problem becomes a storage that answers every call with it.
std::unique_ptr<engine::Storage> open_for_cluster(std::string_view cluster, EvictionPolicy policy);

// Fresh, empty storage for a test scope: memory with fixed random choices (a memory:// URL
// configured for the cluster still sets its bounds, so eviction can be tested through
// keyspaces), or, when CACHET_TEST_URL names a Redis server, that server under a key prefix
// of the cluster's own, emptied first.
std::unique_ptr<engine::Storage> open_for_test(std::string_view cluster, EvictionPolicy policy, std::uint64_t seed);

}  // namespace cachet::backends
