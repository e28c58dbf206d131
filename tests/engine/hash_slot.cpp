// The key-to-slot rule must agree with Redis Cluster's exactly, or commands go to the wrong node.
#include <doctest/doctest.h>

#include "engine/hash_slot.hpp"

using cachet::hash_slot;
using cachet::hash_tag;

TEST_CASE("hash_slot is CRC16/XMODEM modulo 16384, as Redis Cluster computes it") {
  CHECK(hash_slot("123456789") == 0x31C3 % 16384);  // the CRC's published check value
  // Values Redis answers with CLUSTER KEYSLOT.
  CHECK(hash_slot("foo") == 12182);
  CHECK(hash_slot("bar") == 5061);
  CHECK(hash_slot("") == 0);
}

TEST_CASE("a non-empty hash tag decides the slot; the first '{' and the first '}' after it count") {
  CHECK(hash_tag("{user1000}.following") == "user1000");
  CHECK(hash_slot("{user1000}.following") == hash_slot("{user1000}.followers"));
  CHECK(hash_slot("{user1000}.following") == hash_slot("user1000"));
  CHECK(hash_tag("foo{}{bar}") == "foo{}{bar}");  // empty first tag: the whole key
  CHECK(hash_tag("foo{{bar}}zap") == "{bar");
  CHECK(hash_tag("foo{bar}{zap}") == "bar");
  CHECK(hash_tag("no}open{") == "no}open{");      // '{' without a '}' after it
  CHECK(hash_tag("a}b{c}") == "c");
}
