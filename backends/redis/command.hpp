// One Redis command as a list of arguments, written out as RESP only when it is sent.
//
// Arguments borrow the caller's bytes (which must outlive the round trip), a key under a
// prefix is kept as two views and written as one argument, and numbers are formatted on the
// way out: building a command copies no key or value. The one copy is into the connection's
// output buffer, where RESP's length prefixes keep every byte binary-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::redis {

class Command {
 public:
  explicit Command(std::string_view name) {
    args_.reserve(8);
    arg(name);
  }

  Command& arg(std::string_view bytes) {
    args_.push_back({{}, bytes, 0, false, false});
    longest_ = std::max(longest_, bytes.size());
    return *this;
  }
  Command& arg(std::int64_t number) {
    args_.push_back({{}, {}, number, true, false});
    return *this;
  }
  // A key as stored: the storage's key prefix, then the key.
  Command& key(std::string_view prefix, std::string_view key) {
    args_.push_back({prefix, key, 0, false, true});
    longest_ = std::max(longest_, prefix.size() + key.size());
    return *this;
  }
  // Appends every argument of `other` (the commands a script runs travel as its arguments).
  Command& args_of(const Command& other) {
    args_.insert(args_.end(), other.args_.begin(), other.args_.end());
    longest_ = std::max(longest_, other.longest_);
    return *this;
  }

  std::size_t size() const { return args_.size(); }
  // The command's name as written (its first argument).
  std::string_view name() const { return args_.front().bytes; }
  // Calls f(prefix, key) for each key argument, including those of commands appended by
  // args_of (a cluster routes by them).
  template <class F>
  void for_each_key(F&& f) const {
    for (const Arg& a : args_) {
      if (a.is_key) f(a.prefix, a.bytes);
    }
  }
  // The length of the longest argument, to hold against Redis's bulk limit before sending.
  std::size_t longest_argument() const { return longest_; }

  // Appends the command to `out` as RESP: an array of bulk strings.
  void write_to(std::string& out) const;

 private:
  struct Arg {
    std::string_view prefix;  // a key's prefix; empty for every other argument
    std::string_view bytes;
    std::int64_t number;
    bool is_number;
    bool is_key;
  };
  std::vector<Arg> args_;
  std::size_t longest_ = 0;
};

}  // namespace cachet::redis
