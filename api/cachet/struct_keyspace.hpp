// Keyspaces holding any value with a Codec: described structs as JSON (Boost.JSON), or a type
// with its own cachet::Codec<V>. Including this header is what brings in Boost.JSON.
#pragma once

#include "engine/require_cxx23.hpp"

#include "json_codec.hpp"
#include "value_keyspace.hpp"

namespace cachet {

// V is checked here (and K by KeyPattern) rather than by constraints, so that a type it
// cannot take gets one message saying what to add.
template <class K, class V>
class StructKeyspace : public ValueKeyspace<K, V, StructKeyspace<K, V>> {
  static_assert(Codable<V>,
                "cachet: StructKeyspace cannot store this value type: describe the struct with "
                "BOOST_DESCRIBE_STRUCT(V, (), (field, ...)), or give the type a cachet::Codec<V> "
                "specialization with encode and decode");
  using Base = ValueKeyspace<K, V, StructKeyspace<K, V>>;

 public:
  StructKeyspace(Cluster& cluster, const KeyspaceConfig<K>& config) : Base(cluster, config) {}
};

}  // namespace cachet
