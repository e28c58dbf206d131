// What the process's environment says about storage: CACHET_ENV, the URL of each cluster
// (environment variables first, then cachet::configure), and the development bound.
#pragma once

#include "error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cachet::engine {

enum class Environment { development, test, production };

std::string_view environment_name(Environment environment);

// CACHET_ENV: development (also when unset or empty), test or production. Any other
// value is Errc::not_configured with a message naming the allowed values.
Result<Environment> current_environment();

// Whether CACHET_ENV is set (and not empty): development by default is not development chosen.
bool environment_is_set();

// CACHET_CLUSTER_<NAME>_URL: the name upper-cased, '-' written as '_'.
std::string cluster_url_variable(std::string_view cluster);

struct ClusterUrl {
  std::string url;
  std::string source;  // where it came from: the variable's name or "cachet::configure"
};

// CACHET_CLUSTER_<NAME>_URL, else CACHET_URL, else what configure() recorded.
std::optional<ClusterUrl> cluster_url(std::string_view cluster);

// Records the URL configure() was given for a cluster.
void set_configured_url(std::string_view cluster, std::string url);

// CACHET_DEV_MAX_KEYS, 100 when unset; a value that is not a positive whole number is
// Errc::not_configured naming the variable.
Result<std::uint64_t> dev_max_keys();

}  // namespace cachet::engine
