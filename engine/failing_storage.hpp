// A Storage that answers every operation with one error: what a cluster uses when its
// environment or URL is wrong, so the problem reaches the caller on every call.
#pragma once

#include "storage.hpp"

namespace cachet::engine {

class FailingStorage final : public Storage {
 public:
  explicit FailingStorage(Error error) : error_(std::move(error)) {}
  const Error& error() const { return error_; }

  Result<std::int64_t> del(std::span<const std::string>) override { return failure(); }
  Result<std::optional<std::chrono::milliseconds>> pttl(std::string_view) override { return failure(); }
  Result<void> ping() override { return failure(); }
  Result<void> clear() override { return failure(); }
  Result<std::string> get(std::string_view) override { return failure(); }
  Result<std::vector<std::optional<std::string>>> mget(std::span<const std::string>) override { return failure(); }
  Result<bool> set(std::string_view, std::string_view, SetCondition, ExpiryAction) override { return failure(); }
  Result<std::optional<std::string>> set_get(std::string_view, std::string_view, ExpiryAction) override {
    return failure();
  }
  Result<void> mset(std::span<const KeyValue>, ExpiryAction) override { return failure(); }
  Result<std::string> getdel(std::string_view) override { return failure(); }
  Result<std::int64_t> append(std::string_view, std::string_view, ExpiryAction) override { return failure(); }
  Result<std::string> getrange(std::string_view, std::int64_t, std::int64_t) override { return failure(); }
  Result<std::int64_t> setrange(std::string_view, std::int64_t, std::string_view, ExpiryAction) override {
    return failure();
  }
  Result<std::int64_t> strlen(std::string_view) override { return failure(); }
  Result<std::int64_t> incrby(std::string_view, std::int64_t, ExpiryAction) override { return failure(); }
  Result<double> incrbyfloat(std::string_view, double, ExpiryAction) override { return failure(); }
  Result<std::int64_t> push(std::string_view, ListEnd, std::span<const std::string>, ExpiryAction) override {
    return failure();
  }
  Result<std::string> pop(std::string_view, ListEnd, ExpiryAction) override { return failure(); }
  Result<std::int64_t> llen(std::string_view) override { return failure(); }
  Result<void> ltrim(std::string_view, std::int64_t, std::int64_t, ExpiryAction) override { return failure(); }
  Result<void> lset(std::string_view, std::int64_t, std::string_view, ExpiryAction) override { return failure(); }
  Result<std::string> lindex(std::string_view, std::int64_t) override { return failure(); }
  Result<std::vector<std::string>> lrange(std::string_view, std::int64_t, std::int64_t) override { return failure(); }
  Result<std::int64_t> linsert(std::string_view, bool, std::string_view, std::string_view, ExpiryAction) override {
    return failure();
  }
  Result<std::int64_t> lrem(std::string_view, std::int64_t, std::string_view, ExpiryAction) override {
    return failure();
  }
  Result<std::string> lmove(std::string_view, std::string_view, ListEnd, ListEnd, ExpiryAction) override {
    return failure();
  }
  Result<std::int64_t> sadd(std::string_view, std::span<const std::string>, ExpiryAction) override {
    return failure();
  }
  Result<std::int64_t> srem(std::string_view, std::span<const std::string>, ExpiryAction) override {
    return failure();
  }
  Result<std::vector<std::string>> spop(std::string_view, std::int64_t, ExpiryAction) override { return failure(); }
  Result<bool> sismember(std::string_view, std::string_view) override { return failure(); }
  Result<std::int64_t> scard(std::string_view) override { return failure(); }
  Result<std::vector<std::string>> smembers(std::string_view) override { return failure(); }
  Result<std::vector<std::string>> set_algebra(SetAlgebra, std::span<const std::string>) override {
    return failure();
  }
  Result<std::int64_t> set_algebra_store(SetAlgebra, std::string_view, std::span<const std::string>,
                                         ExpiryAction) override {
    return failure();
  }
  Result<std::vector<std::string>> srandmember(std::string_view, std::int64_t) override { return failure(); }
  Result<bool> smove(std::string_view, std::string_view, std::string_view, ExpiryAction) override {
    return failure();
  }

 private:
  std::unexpected<Error> failure() const { return std::unexpected(error_); }
  Error error_;
};

}  // namespace cachet::engine
