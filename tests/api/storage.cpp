// <cachet/storage.hpp>, the extension point: a user's backend, registered for a scheme, stores
// a cluster's data; a data type it leaves out answers Errc::unsupported through every
// keyspace of that type, naming the type, while the keys part still serves. (The table's own
// refusals: tests/engine/backend_table.cpp.)
#include "../support.hpp"

#include <cachet/storage.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>

namespace {

// A backend with keys and nothing else: no strings, lists or sets.
class KeysOnly final : public cachet::Storage, cachet::KeyStorage {
 public:
  KeysOnly() : Storage({.keys = this}) {}

  cachet::Result<void> ping() override { return {}; }
  cachet::Result<void> clear() override { return {}; }
  cachet::Result<std::int64_t> del(std::span<const std::string> keys) override {
    deleted += keys.size();
    return 0;
  }
  cachet::Result<std::optional<std::chrono::milliseconds>> pttl(std::string_view) override {
    return cachet::fail(cachet::Errc::miss, "no key");
  }
  cachet::Result<bool> exists(std::string_view) override { return false; }
  cachet::Result<bool> expire(std::string_view, cachet::ExpiryAction) override { return false; }

  std::size_t deleted = 0;
};

cachet::Cluster cluster("test-storage");
cachet::StringKeyspace<std::string> strings(cluster, {.key_pattern = "s/:key"});
cachet::IntKeyspace<std::string> ints(cluster, {.key_pattern = "i/:key"});
cachet::ListKeyspace<std::string, std::string> lists(cluster, {.key_pattern = "l/:key"});
cachet::SetKeyspace<std::string, std::string> sets(cluster, {.key_pattern = "t/:key"});

// Makes keys-only:// open a KeysOnly (once per process).
void register_keys_only() {
  static const bool registered = [] {
    cachet::register_backend("keys-only", [](const cachet::BackendUrl&, const cachet::BackendContext&)
                                              -> cachet::Result<std::unique_ptr<cachet::Storage>> {
      return std::make_unique<KeysOnly>();
    });
    return true;
  }();
  (void)registered;
}

// An error of code unsupported naming the operation and the data type left out.
template <class T>
void unsupported(const cachet::Result<T>& r, std::string_view op, std::string_view type) {
  REQUIRE_MESSAGE(!r.has_value(), "expected unsupported");
  CHECK(r.error().code == cachet::Errc::unsupported);
  CHECK(r.error().op == op);
  CHECK(r.error().message.find("\"test-storage\"") != std::string::npos);
  CHECK(r.error().message.find("does not support " + std::string(type)) != std::string::npos);
}

}  // namespace

TEST_CASE("a data type the backend leaves out answers unsupported through every keyspace of it") {
  register_keys_only();
  test::ScopedEnv url("CACHET_TEST_URL", "keys-only://");  // what a test scope opens
  cachet::testing::Scope scope;
  REQUIRE(dynamic_cast<KeysOnly*>(&cluster.storage()) != nullptr);

  unsupported(strings.set("k", "v"), "set", "strings");
  unsupported(strings.get("k"), "get", "strings");
  unsupported(strings.multi_get("a", "b"), "multi_get", "strings");
  unsupported(strings.multi_set({{"a", "1"}}), "multi_set", "strings");
  unsupported(strings.append("k", "x"), "append", "strings");
  unsupported(ints.increment("k"), "increment", "strings");
  unsupported(lists.push_left("k", "x"), "push_left", "lists");
  unsupported(lists.items("k"), "items", "lists");
  unsupported(lists.move("k", "l", cachet::ListPos::Left, cachet::ListPos::Right), "move", "lists");
  unsupported(sets.add("k", "x"), "add", "sets");
  unsupported(sets.union_("a", "b"), "union_", "sets");
  unsupported(sets.union_store("d", "a", "b"), "union_store", "sets");
  const auto r = strings.get("k");
  REQUIRE(!r);
  CHECK(r.error().key == "s/k");

  // What needs only the keys part works.
  CHECK(strings.erase("a", "b") == 0);
  CHECK(lists.erase("a") == 0);
  CHECK(dynamic_cast<KeysOnly&>(cluster.storage()).deleted == 3);
  // With nothing to send, a multi-key call answers at once, as for every backend.
  CHECK(sets.union_(std::vector<std::string>()) == std::vector<std::string>());
}

TEST_CASE("a registered backend's URL is taken by configure()") {
  register_keys_only();
  cachet::configure("test-storage-configured", "keys-only://anything?option=1");
  CHECK_THROWS_AS(cachet::configure("test-storage-configured", "no-such-scheme://x"), cachet::ConfigError);
}
