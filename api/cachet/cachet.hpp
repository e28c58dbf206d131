// cachet: typed cache keyspaces over named cache clusters. This header brings in every
// keyspace; a file that needs fewer may include only theirs (<cachet/basic_keyspaces.hpp>
// for String, Int and Float keyspaces does without Boost.JSON).
#pragma once

#include "engine/require_cxx23.hpp"

#include "basic_keyspaces.hpp"
#include "cluster.hpp"
#include "codec.hpp"
#include "error.hpp"
#include "expiry.hpp"
#include "key_pattern.hpp"
#include "keyspace.hpp"
#include "observe.hpp"
#include "hash_keyspace.hpp"
#include "list_keyspace.hpp"
#include "set_keyspace.hpp"
#include "sorted_set_keyspace.hpp"
#include "struct_keyspace.hpp"
