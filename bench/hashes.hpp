// The hash section of the benchmark (included by main.cpp inside its namespace, after the
// table's helpers): HSET and HGET through HashKeyspace on the memory engine, one thread,
// against redis-server's own throughput under redis-benchmark -P 64 (the server is the bound:
// pipelined, it spends its one core on the commands) on the same data, and the bytes a field
// takes in a hash of a million fields and in small hashes, against redis-server's used_memory.
//
// The same data on both sides: one hash, fields and values as redis-benchmark's __rand_int__
// makes them (12 decimal digits, zero-padded, uniform below `fields`), HSET then HGET.
// It includes nothing itself: it sits inside main.cpp's namespace, which has what it needs.
#pragma once

const char* hash_rows[] = {
    "HSET, memory engine via HashKeyspace (1 thread) vs redis-server under redis-benchmark -P 64: ops/s",
    "HGET, memory engine via HashKeyspace (1 thread) vs redis-server under redis-benchmark -P 64: ops/s",
    "bytes/field, one hash of %zuk fields (12 B + 12 B): engine malloc growth vs redis-server used_memory",
    "bytes/field, %zuk hashes of 16 fields (12 B + 12 B): engine malloc growth vs redis-server used_memory",
};

std::string twelve_digits(std::uint64_t n) { return str("%012llu", static_cast<unsigned long long>(n)); }

// redis-benchmark's requests per second for one command (its --csv line), or nullopt.
std::optional<double> redis_benchmark_rps(const cachet::redis::RedisOptions& o, std::size_t requests,
                                          std::size_t range, const std::string& command) {
  const std::string line = str("redis-benchmark -h %s -p %d -P 64 -c 8 -n %zu -r %zu --csv %s 2>/dev/null",
                               o.host.c_str(), o.port, requests, range, command.c_str());
  FILE* pipe = popen(line.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::optional<double> rps;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    // "HSET bench:hash __rand_int__ __rand_int__","123456.78",...  (the header says "rps")
    const std::string text = buffer;
    const auto comma = text.find("\",\"");
    if (comma == std::string::npos) continue;
    const double v = std::strtod(text.c_str() + comma + 3, nullptr);
    if (v > 0) rps = v;
  }
  const int status = pclose(pipe);
  if (status != 0) return std::nullopt;
  return rps;
}

void hash_workloads(const Settings& s, RawRedis* raw, const std::string& redis_missing) {
  cachet::Cluster cluster("bench-hashes");
  cachet::configure("bench-hashes", "memory://");
  cachet::HashKeyspace<std::string, std::string, std::string> hashes(cluster, {.key_pattern = "bench/:key"});
  const std::size_t range = s.quick ? 100'000 : 1'000'000;   // distinct fields, as redis-benchmark -r
  const std::size_t requests = s.quick ? 400'000 : 2'000'000;  // per repetition
  std::mt19937_64 rng(seed ^ 0x4a54);
  std::vector<std::string> fields(requests), values(requests);
  for (std::size_t i = 0; i < requests; ++i) {
    fields[i] = twelve_digits(rng() % range);
    values[i] = twelve_digits(rng() % range);
  }

  // The memory engine: each repetition on a fresh hash, HSET of every request, then HGET.
  std::vector<double> hset_ops, hget_ops;
  for (int r = 0; r < s.reps; ++r) {
    must(hashes.erase({"h"}), "erase (hash bench)");
    auto started = Clock::now();
    for (std::size_t i = 0; i < requests; ++i) must(hashes.set("h", fields[i], values[i]), "hset");
    hset_ops.push_back(double(requests) / std::chrono::duration<double>(Clock::now() - started).count());
    std::uint64_t found = 0;
    started = Clock::now();
    // Fields drawn as redis-benchmark draws them: below the range, some never set.
    for (std::size_t i = 0; i < requests; ++i) found += hashes.get("h", values[i]).has_value();
    hget_ops.push_back(double(requests) / std::chrono::duration<double>(Clock::now() - started).count());
    consume(found);
  }
  must(hashes.erase({"h"}), "erase (hash bench)");

  std::vector<double> redis_hset, redis_hget;
  std::string why = redis_missing;
  std::optional<cachet::redis::RedisOptions> options;
  if (raw) {
    auto parsed = cachet::redis::parse_url(s.redis_url);
    if (parsed && !parsed->host.empty() && !parsed->tls.enabled) options = *parsed;
    else why = "redis-benchmark needs a plain TCP server";
  }
  if (options && std::system("command -v redis-benchmark >/dev/null 2>&1") != 0) {
    options.reset();
    why = "redis-benchmark not installed";
  }
  for (int r = 0; options && r < s.reps; ++r) {
    raw->flushdb();
    const auto set = redis_benchmark_rps(*options, requests, range, "hset bench:hash __rand_int__ __rand_int__");
    const auto get = redis_benchmark_rps(*options, requests, range, "hget bench:hash __rand_int__");
    if (!set || !get) {
      why = "redis-benchmark failed";
      redis_hset.clear();
      break;
    }
    redis_hset.push_back(*set);
    redis_hget.push_back(*get);
  }
  if (raw) raw->flushdb();
  const Target per_core{Target::at_least, 1.0};
  auto kops = [](double v) { return str("%.0f kops/s", v / 1000); };
  if (!redis_hset.empty()) {
    add("H", hash_rows[0], 1, kops(median(hset_ops)), kops(median(redis_hset)), median(hset_ops) / median(redis_hset),
        per_core);
    add("H", hash_rows[1], 1, kops(median(hget_ops)), kops(median(redis_hget)), median(hget_ops) / median(redis_hget),
        per_core);
  } else {
    add_unavailable("H", hash_rows[0], 1, kops(median(hset_ops)), why, per_core);
    add_unavailable("H", hash_rows[1], 1, kops(median(hget_ops)), why, per_core);
  }

  // Bytes per field: one big hash, and many small ones (the packed form), on both sides.
  const std::size_t big = s.quick ? 250'000 : 1'000'000;
  const std::size_t small_hashes = s.quick ? 15'000 : 60'000;
  std::vector<std::string> big_fields(big), big_values(big);
  for (std::size_t i = 0; i < big; ++i) {
    big_fields[i] = twelve_digits(i);
    big_values[i] = twelve_digits(rng() % 1'000'000'000'000);
  }
  struct Shape {
    const char* row;
    std::size_t keys, per_key, scale;
  };
  const Shape shapes[] = {{hash_rows[2], 1, big, big / 1000}, {hash_rows[3], small_hashes, 16, small_hashes / 1000}};
  for (const Shape& shape : shapes) {
    const double n = double(shape.keys * shape.per_key);
    std::vector<double> engine, redis, ratio;
    for (int r = 0; r < s.bytes_reps; ++r) {
      {
        malloc_trim(0);
        const double before = malloc_in_use();
        auto storage = std::make_unique<cachet::memory::MemoryStorage>();
        std::vector<cachet::engine::FieldValue> pair(1);
        for (std::size_t k = 0; k < shape.keys; ++k) {
          const std::string key = "hash:" + std::to_string(k);
          for (std::size_t i = 0; i < shape.per_key; ++i) {
            pair[0] = {big_fields[i], big_values[(i + k) % big]};
            must(storage->hashes()->hset(key, pair, cachet::engine::ExpiryAction::persist()), "hset (bytes)");
          }
        }
        engine.push_back((malloc_in_use() - before) / n);
      }
      if (raw) {
        raw->flushdb();
        const auto before = settled_used_memory(*raw);
        std::vector<std::string> vals(shape.per_key);
        for (std::size_t k = 0; k < shape.keys; ++k) {
          for (std::size_t i = 0; i < shape.per_key; ++i) vals[i] = big_values[(i + k) % big];
          raw->hset_load("hash:" + std::to_string(k), std::span(big_fields).first(shape.per_key), vals);
        }
        const auto after = settled_used_memory(*raw);
        raw->flushdb();
        if (before && after) {
          redis.push_back((*after - *before) / n);
          ratio.push_back(engine.back() / redis.back());
        }
      }
    }
    const std::string row = str(shape.row, shape.scale);
    const Target target{Target::at_most, 1.0};
    if (!redis.empty() && median(engine) > 0) {
      add("H", row, 1, str("%.1f B/field", median(engine)), str("%.1f B/field", median(redis)), median(ratio), target);
    } else {
      add_unavailable("H", row, 1, str("%.1f B/field", median(engine)),
                      median(engine) > 0 ? redis_missing : "mallinfo2() does not see this build's allocator", target);
    }
  }
}
