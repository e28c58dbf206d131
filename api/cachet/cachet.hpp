// cachet: typed cache keyspaces over named cache clusters.
#pragma once

#include "basic_keyspaces.hpp"
#include "cluster.hpp"
#include "codec.hpp"
#include "error.hpp"
#include "expiry.hpp"
#include "key_pattern.hpp"
#include "keyspace.hpp"
#include "list_keyspace.hpp"
#include "set_keyspace.hpp"
