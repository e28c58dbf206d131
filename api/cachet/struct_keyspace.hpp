// Keyspaces holding any value with a Codec: described structs as JSON (Boost.JSON), or a type
// with its own cachet::Codec<V>. Including this header is what brings in Boost.JSON.
#pragma once

#include "engine/require_cxx23.hpp"

#include "json_codec.hpp"
#include "value_keyspace.hpp"

namespace cachet {

template <Key K, Codable V>
class StructKeyspace : public ValueKeyspace<K, V, StructKeyspace<K, V>> {
  using Base = ValueKeyspace<K, V, StructKeyspace<K, V>>;

 public:
  StructKeyspace(Cluster& cluster, const KeyspaceConfig<K>& config) : Base(cluster, config) {}
};

}  // namespace cachet
