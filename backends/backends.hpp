// The one place that knows every backend: a table from URL scheme to factory, and the
// storage each environment gives a cluster.
#pragma once

#include "engine/error.hpp"
#include "engine/eviction_policy.hpp"
#include "engine/storage.hpp"

#include <cstdint>
#include <memory>
#include <string_view>

namespace cachet::backends {

// Whether configure() may take `url`: it parses, its scheme has a backend, and a built-in
// backend accepts its hosts and options. Errc::not_configured naming the problem otherwise.
Result<void> check_url(std::string_view url);

// The storage the environment chooses for a cluster (CACHET_ENV, its URL, the development
// bound), or the problem that keeps it from having one.
Result<std::unique_ptr<engine::Storage>> open_for_cluster(std::string_view cluster, EvictionPolicy policy);

// Fresh, empty storage for a test scope: memory with fixed random choices (a memory:// URL
// configured for the cluster still sets its bounds, so eviction can be tested through
// keyspaces), or, when CACHET_TEST_URL names another backend, that backend under a key
// prefix of the cluster's own, emptied first.
Result<std::unique_ptr<engine::Storage>> open_for_test(std::string_view cluster, EvictionPolicy policy,
                                                       std::uint64_t seed);

}  // namespace cachet::backends
