// What a backend is: a Storage composed of one interface per data type, in Redis's
// vocabulary, on raw bytes.
//
// Keys and values go in as bytes; answers come back owned. Every primitive that writes
// carries an ExpiryAction and applies it atomically with the write. Keyspaces do typing, key
// encoding and codecs; a Storage knows nothing of them. A backend implements KeyStorage and
// any of the data types; a data type it leaves out (a null part) answers Errc::unsupported
// through every keyspace of that type.
#pragma once

#include "error.hpp"
#include "expiry_action.hpp"
#include "storage/hashes.hpp"
#include "storage/keys.hpp"
#include "storage/lists.hpp"
#include "storage/sets.hpp"
#include "storage/sorted_sets.hpp"
#include "storage/strings.hpp"

#include <cstdint>
#include <optional>
#include <type_traits>

namespace cachet::engine {

// What a backend can tell about itself for cachet::metrics_text(): every figure is optional,
// and a backend fills those it has (a field left empty is not exported). Counters only grow
// over the storage's life; gauges are the figure now. Reading them must be cheap and safe on
// any thread while calls run (relaxed atomics, or a short lock): a scrape calls stats().
struct StorageStats {
  std::optional<std::uint64_t> keys = {};          // gauge: keys held (cachet_keys)
  std::optional<std::uint64_t> memory_bytes = {};  // gauge: bytes the data takes (cachet_memory_bytes)
  std::optional<std::uint64_t> evictions = {};     // counter: keys removed to stay within a bound
  std::optional<std::uint64_t> expirations = {};   // counter: keys removed because their TTL passed
  std::optional<std::uint64_t> dev_purges = {};    // counter: keys purged by the development bound
  std::optional<std::uint64_t> connections = {};   // gauge: open connections to a server
  std::optional<std::uint64_t> reconnects = {};    // counter: connections made again after one was lost
};

// The interfaces a backend is made of. `keys` is required; a null data type is unsupported.
struct StorageParts {
  KeyStorage* keys = nullptr;
  StringStorage* strings = nullptr;
  ListStorage* lists = nullptr;
  SetStorage* sets = nullptr;
  HashStorage* hashes = nullptr;
  SortedSetStorage* sorted_sets = nullptr;
};

class Storage {
 public:
  virtual ~Storage() = default;
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  // Can the backend be reached? (verify(), at start-up.)
  virtual Result<void> ping() = 0;
  // Removes every key this storage holds (test scopes).
  virtual Result<void> clear() = 0;
  // Its figures for metrics (see StorageStats); by default none.
  virtual StorageStats stats() const { return {}; }

  KeyStorage& keys() const { return *parts_.keys; }
  StringStorage* strings() const { return parts_.strings; }
  ListStorage* lists() const { return parts_.lists; }
  SetStorage* sets() const { return parts_.sets; }
  HashStorage* hashes() const { return parts_.hashes; }
  SortedSetStorage* sorted_sets() const { return parts_.sorted_sets; }

  // The part for one data type by its interface: part<ListStorage>() is lists().
  template <class Part>
  Part* part() const {
    if constexpr (std::is_same_v<Part, KeyStorage>) return parts_.keys;
    else if constexpr (std::is_same_v<Part, StringStorage>) return parts_.strings;
    else if constexpr (std::is_same_v<Part, ListStorage>) return parts_.lists;
    else if constexpr (std::is_same_v<Part, SetStorage>) return parts_.sets;
    else if constexpr (std::is_same_v<Part, HashStorage>) return parts_.hashes;
    else if constexpr (std::is_same_v<Part, SortedSetStorage>) return parts_.sorted_sets;
    else static_assert(sizeof(Part) == 0, "not a Storage part");
  }

 protected:
  // `parts.keys` must not be null; the parts must live as long as the storage (usually
  // members of it, or the storage itself).
  explicit Storage(StorageParts parts) : parts_(parts) {}

 private:
  StorageParts parts_;
};

// How a message names a data type whose part a backend left out: "lists", "sets", ...
template <class Part>
constexpr const char* part_name() {
  if constexpr (std::is_same_v<Part, KeyStorage>) return "keys";
  else if constexpr (std::is_same_v<Part, StringStorage>) return "strings";
  else if constexpr (std::is_same_v<Part, ListStorage>) return "lists";
  else if constexpr (std::is_same_v<Part, SetStorage>) return "sets";
  else if constexpr (std::is_same_v<Part, HashStorage>) return "hashes";
  else if constexpr (std::is_same_v<Part, SortedSetStorage>) return "sorted sets";
  else static_assert(sizeof(Part) == 0, "not a Storage part");
}

}  // namespace cachet::engine
