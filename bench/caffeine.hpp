// Caffeine (the JVM's in-process cache) as a baseline: a child JVM running
// bench/CaffeineBench.java, driven one command a line over pipes, so that its slices alternate
// with cachet's in the same repetitions and on the same data (written to a file it reads).
//
// Built only when meson finds javac and Caffeine's jar (Debian: default-jdk-headless,
// libcaffeine-java); otherwise, or when the JVM does not start, available() is false and
// why() says what to install, and the benchmark's Caffeine rows say n/a.
#pragma once

#include "harness.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace bench {

#ifndef CACHET_BENCH_CAFFEINE_CLASSPATH
#define CACHET_BENCH_CAFFEINE_CLASSPATH ""
#endif
#ifndef CACHET_BENCH_CAFFEINE_MISSING
#define CACHET_BENCH_CAFFEINE_MISSING "the benchmark was built without the Caffeine harness"
#endif

// What Caffeine's harness reads: the data, in the order and format CaffeineBench.read() expects.
struct CaffeineData {
  const std::vector<std::string>* keys = nullptr;
  const std::vector<std::string>* values = nullptr;
  std::vector<const std::vector<std::uint32_t>*> uniform, zipf_warmup, zipf_timed;
};

class CaffeineProcess {
 public:
  // Writes the data and starts the JVM; available() tells whether it runs.
  explicit CaffeineProcess(const CaffeineData& data) {
    const std::string classpath = CACHET_BENCH_CAFFEINE_CLASSPATH;
    if (classpath.empty()) {
      why_ = CACHET_BENCH_CAFFEINE_MISSING;
      return;
    }
    char dir_template[] = "/tmp/cachet-caffeine.XXXXXX";
    if (mkdtemp(dir_template) == nullptr) {
      why_ = "cannot make a temporary directory";
      return;
    }
    dir_ = dir_template;
    data_path_ = dir_ + "/data.bin";
    if (!write_data(data)) {
      why_ = "cannot write " + data_path_;
      return;
    }
    int to_child[2], from_child[2];
    if (pipe(to_child) != 0 || pipe(from_child) != 0) {
      why_ = "cannot make pipes";
      return;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
    posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
    posix_spawn_file_actions_addclose(&actions, to_child[1]);
    posix_spawn_file_actions_addclose(&actions, from_child[0]);
    std::vector<std::string> argv_text = {"java", "-Xms1g", "-cp", classpath, "CaffeineBench", data_path_};
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int spawned = posix_spawnp(&pid_, "java", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(to_child[0]);
    close(from_child[1]);
    if (spawned != 0) {
      close(to_child[1]);
      close(from_child[0]);
      pid_ = -1;
      why_ = "java is not installed (apt-get install default-jdk-headless libcaffeine-java)";
      return;
    }
    in_ = fdopen(from_child[0], "r");
    out_ = fdopen(to_child[1], "w");
    signal(SIGPIPE, SIG_IGN);  // a JVM that died answers EOF, not a signal
  }
  CaffeineProcess(const CaffeineProcess&) = delete;
  CaffeineProcess& operator=(const CaffeineProcess&) = delete;
  ~CaffeineProcess() {
    if (out_) {
      std::fputs("quit\n", out_);
      std::fclose(out_);
    }
    if (in_) std::fclose(in_);
    if (pid_ > 0) waitpid(pid_, nullptr, 0);
    if (!data_path_.empty()) std::remove(data_path_.c_str());
    if (!dir_.empty()) rmdir(dir_.c_str());
  }

  bool available() const { return pid_ > 0 && why_.empty(); }
  const std::string& why() const { return why_; }

  // A cache of every key, filled and exercised untimed.
  bool uniform_start() { return request("uniform-start") == "ok"; }
  // Gets over the slice of each thread's uniform sequence.
  Timing uniform(int threads, Slice slice) {
    std::istringstream in(request(command("uniform", threads, slice)));
    Timing t;
    in >> t.seconds >> t.ops >> t.cpu_seconds;
    return t;
  }
  // A fresh cache of `capacity` keys, warmed by the warm-up sequences.
  bool zipf_start(int threads, std::size_t capacity) {
    return request("zipf-start " + std::to_string(threads) + " " + std::to_string(capacity)) == "ok";
  }
  // The cache-aside mix over a slice of the timed sequences; adds the slice's hits and gets.
  Timing zipf(int threads, Slice slice, std::uint64_t& hits, std::uint64_t& gets) {
    std::istringstream in(request(command("zipf", threads, slice)));
    Timing t;
    std::uint64_t h = 0, g = 0;
    in >> t.seconds >> t.ops >> t.cpu_seconds >> h >> g;
    hits += h;
    gets += g;
    return t;
  }

 private:
  static std::string command(const char* name, int threads, Slice slice) {
    return std::string(name) + " " + std::to_string(threads) + " " + std::to_string(slice.index) + " " +
           std::to_string(slice.count);
  }
  // One command, one answer; a JVM that stopped answering makes the rest n/a.
  std::string request(const std::string& line) {
    if (!available()) return {};
    std::fputs((line + "\n").c_str(), out_);
    std::fflush(out_);
    std::string answer;
    for (int c; (c = std::fgetc(in_)) != EOF && c != '\n';) answer.push_back(char(c));
    if (answer.empty() || answer.starts_with("error")) {
      why_ = "the Caffeine harness failed: " + (answer.empty() ? std::string("no answer to ") + line : answer);
      fail_op(why_);
    }
    return answer;
  }
  bool write_data(const CaffeineData& data) {
    std::ofstream out(data_path_, std::ios::binary);
    auto u32 = [&](std::uint32_t v) {
      const unsigned char b[4] = {static_cast<unsigned char>(v), static_cast<unsigned char>(v >> 8),
                                  static_cast<unsigned char>(v >> 16), static_cast<unsigned char>(v >> 24)};
      out.write(reinterpret_cast<const char*>(b), 4);
    };
    auto texts = [&](const std::vector<std::string>& v) {
      u32(std::uint32_t(v.size()));
      for (const auto& s : v) {
        u32(std::uint32_t(s.size()));
        out.write(s.data(), std::streamsize(s.size()));
      }
    };
    auto sequences = [&](const std::vector<const std::vector<std::uint32_t>*>& all) {
      u32(std::uint32_t(all.size()));
      for (const auto* seq : all) {
        u32(std::uint32_t(seq->size()));
        for (std::uint32_t x : *seq) u32(x);
      }
    };
    texts(*data.keys);
    texts(*data.values);
    sequences(data.uniform);
    sequences(data.zipf_warmup);
    sequences(data.zipf_timed);
    return bool(out.flush());
  }

  pid_t pid_ = -1;
  std::FILE* in_ = nullptr;
  std::FILE* out_ = nullptr;
  std::string dir_, data_path_, why_;
};

}  // namespace bench
