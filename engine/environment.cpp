#include "environment.hpp"

#include <charconv>
#include <cstdlib>
#include <map>
#include <mutex>

namespace cachet::engine {
namespace {

std::optional<std::string_view> variable(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string_view(value);
}

struct ConfiguredUrls {
  std::mutex mutex;
  std::map<std::string, std::string, std::less<>> urls;
};

ConfiguredUrls& configured() {
  static ConfiguredUrls instance;
  return instance;
}

}  // namespace

std::string_view environment_name(Environment environment) {
  switch (environment) {
    case Environment::development: return "development";
    case Environment::test: return "test";
    case Environment::production: return "production";
  }
  return "unknown";
}

Result<Environment> current_environment() {
  const auto value = variable("CACHET_ENV");
  if (!value || *value == "development") return Environment::development;
  if (*value == "test") return Environment::test;
  if (*value == "production") return Environment::production;
  return fail(Errc::not_configured, "CACHET_ENV is \"" + std::string(*value) +
                                        "\"; it must be one of development, test, production");
}

bool environment_is_set() { return variable("CACHET_ENV").has_value(); }

std::string cluster_url_variable(std::string_view cluster) {
  std::string name = "CACHET_CLUSTER_";
  for (char c : cluster) name += c == '-' ? '_' : (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
  name += "_URL";
  return name;
}

std::optional<ClusterUrl> cluster_url(std::string_view cluster) {
  const std::string own = cluster_url_variable(cluster);
  if (auto v = variable(own.c_str())) return ClusterUrl{std::string(*v), own};
  if (auto v = variable("CACHET_URL")) return ClusterUrl{std::string(*v), "CACHET_URL"};
  auto& c = configured();
  std::lock_guard lock(c.mutex);
  if (auto it = c.urls.find(cluster); it != c.urls.end()) return ClusterUrl{it->second, "cachet::configure"};
  return std::nullopt;
}

void set_configured_url(std::string_view cluster, std::string url) {
  auto& c = configured();
  std::lock_guard lock(c.mutex);
  c.urls.insert_or_assign(std::string(cluster), std::move(url));
}

Result<std::uint64_t> dev_max_keys() {
  const auto value = variable("CACHET_DEV_MAX_KEYS");
  if (!value) return 100;
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
  if (ec != std::errc() || end != value->data() + value->size() || n == 0) {
    return fail(Errc::not_configured,
                "CACHET_DEV_MAX_KEYS is \"" + std::string(*value) + "\"; it must be a positive whole number");
  }
  return n;
}

}  // namespace cachet::engine
