// Development mode: a bounded memory cache that purges random keys past its bound.
#include "../support.hpp"

#include "backends/backends.hpp"
#include "backends/memory/memory_storage.hpp"

#include <string>

namespace {


void write(cachet::engine::Storage& storage, const std::string& key) {
  REQUIRE(storage.strings()->set(key, "v", cachet::engine::SetCondition::always, cachet::engine::ExpiryAction::persist()));
}

}  // namespace

TEST_CASE("past 100 keys, random keys are purged back to the bound; the key just written stays") {
  test::ScopedEnv env("CACHET_ENV", "development");
  test::ScopedEnv url("CACHET_URL", std::nullopt);
  test::ScopedEnv bound("CACHET_DEV_MAX_KEYS", std::nullopt);
  auto storage = cachet::backends::open_for_cluster("dev-purge", cachet::EvictionPolicy::NoEviction);
  REQUIRE(storage.has_value());
  auto* memory = dynamic_cast<cachet::memory::MemoryStorage*>(storage->get());
  REQUIRE(memory != nullptr);

  std::string notice;
  for (int i = 0; i < 100; ++i) write(**storage, "k" + std::to_string(i));
  CHECK(memory->key_count() == 100);
  CHECK((*storage)->stats().dev_purges == 0u);
  notice = test::capture_stderr([&] {
    for (int i = 100; i < 250; ++i) {
      write(**storage, "k" + std::to_string(i));
      CHECK(memory->key_count() <= 100);
      CHECK((*storage)->strings()->get("k" + std::to_string(i)) == "v");
    }
  });
  CHECK(memory->key_count() == 100);
  // Counted as development purges (cachet_dev_purges_total), not as the policy's evictions.
  CHECK((*storage)->stats().dev_purges == 150u);
  CHECK((*storage)->stats().evictions == 0u);
  // Random, not oldest-first: some of the first hundred keys survive a purge of 150.
  int early_survivors = 0;
  for (int i = 0; i < 100; ++i) early_survivors += (*storage)->strings()->get("k" + std::to_string(i)).has_value();
  CHECK(early_survivors > 0);
  // The notice is printed once per process, and says how to change the bound.
  CHECK(notice.find("CACHET_DEV_MAX_KEYS") != std::string::npos);
  CHECK(notice.find("\"dev-purge\"") != std::string::npos);
  CHECK(notice.find('\n') == notice.size() - 1);
  const std::string again = test::capture_stderr([&] { write(**storage, "one-more"); });
  CHECK(again.empty());
}

TEST_CASE("CACHET_DEV_MAX_KEYS changes the bound") {
  test::ScopedEnv env("CACHET_ENV", "development");
  test::ScopedEnv url("CACHET_URL", std::nullopt);
  test::ScopedEnv bound("CACHET_DEV_MAX_KEYS", "5");
  auto storage = cachet::backends::open_for_cluster("dev-bound", cachet::EvictionPolicy::AllKeysLRU);
  REQUIRE(storage.has_value());
  auto* memory = dynamic_cast<cachet::memory::MemoryStorage*>(storage->get());
  REQUIRE(memory != nullptr);
  for (int i = 0; i < 20; ++i) write(**storage, "k" + std::to_string(i));
  CHECK(memory->key_count() == 5);
}

TEST_CASE("in development a URL given for the cluster is honoured") {
  test::ScopedEnv env("CACHET_ENV", "development");
  test::ScopedEnv url("CACHET_CLUSTER_DEV_URL_URL", "memory://?max_keys=1000");
  auto storage = cachet::backends::open_for_cluster("dev-url", cachet::EvictionPolicy::AllKeysLRU);
  REQUIRE(storage.has_value());
  auto* memory = dynamic_cast<cachet::memory::MemoryStorage*>(storage->get());
  REQUIRE(memory != nullptr);
  for (int i = 0; i < 300; ++i) write(**storage, "k" + std::to_string(i));
  CHECK(memory->key_count() == 300);
}
