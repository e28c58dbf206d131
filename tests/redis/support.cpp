#include "support.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

extern char** environ;

namespace redis_test {

RedisOptions options_from_env(const char* variable) {
  const char* url = std::getenv(variable);
  REQUIRE_MESSAGE((url != nullptr && *url != '\0'), variable << " is not set (see tests/redis/support.hpp)");
  auto parsed = cachet::redis::parse_url(url);
  REQUIRE_MESSAGE(parsed.has_value(), variable << ": " << parsed.error());
  return *parsed;
}

bool tls_run() {
  const char* url = std::getenv("CACHET_TEST_REDIS_URL");
  return url != nullptr && std::string_view(url).starts_with("rediss://");
}

std::string tls_file(std::string_view file) {
  const char* dir = std::getenv("CACHET_TEST_TLS_DIR");
  if (dir == nullptr || *dir == '\0') return {};
  return std::string(dir) + "/" + std::string(file);
}

RawRedis::RawRedis(const RedisOptions& options, int db) {
  if (options.tls.enabled) {
    tls_options_ = options;
    tls_options_.db = db;
    tls_options_.key_prefix.clear();
    auto context = cachet::redis::TlsContext::create(options.tls, options.host);
    REQUIRE_MESSAGE(context.has_value(), context.error());
    tls_ = std::move(*context);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    auto connection = cachet::redis::Connection::open(tls_options_, tls_.get(), "the test's own connection",
                                                      "return 1", deadline, deadline);
    REQUIRE_MESSAGE(connection.has_value(), connection.error());
    tls_connection_ = std::move(*connection);
    return;
  }
  const timeval second{1, 0};
  context_.reset(options.socket_path.empty() ? redisConnectWithTimeout(options.host.c_str(), options.port, second)
                                             : redisConnectUnixWithTimeout(options.socket_path.c_str(), second));
  REQUIRE(context_ != nullptr);
  REQUIRE_MESSAGE(context_->err == 0, context_->errstr);
  redisSetTimeout(context_.get(), timeval{5, 0});
  if (!options.password.empty()) {
    auto r = options.user.empty() ? command({"AUTH", options.password})
                                   : command({"AUTH", options.user, options.password});
    REQUIRE(r->type == REDIS_REPLY_STATUS);
  }
  const std::string index = std::to_string(db);
  REQUIRE(command({"SELECT", index})->type == REDIS_REPLY_STATUS);
}

cachet::redis::ReplyPtr RawRedis::command(std::initializer_list<std::string_view> args) {
  if (tls_connection_) {
    cachet::redis::Command command(*args.begin());
    for (auto a = args.begin() + 1; a != args.end(); ++a) command.arg(*a);
    auto replies = tls_connection_->round_trip({&command, 1}, std::chrono::steady_clock::now() + std::chrono::seconds(5));
    REQUIRE_MESSAGE(replies.has_value(), replies.error());
    return std::move(replies->front());
  }
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (auto a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  auto* reply = static_cast<redisReply*>(redisCommandArgv(context_.get(), int(argv.size()), argv.data(), lengths.data()));
  REQUIRE_MESSAGE(reply != nullptr, context_->errstr);
  return cachet::redis::ReplyPtr(reply);
}

long long RawRedis::integer(std::initializer_list<std::string_view> args) {
  auto r = command(args);
  REQUIRE(r->type == REDIS_REPLY_INTEGER);
  return r->integer;
}

std::optional<std::string> RawRedis::string(std::initializer_list<std::string_view> args) {
  auto r = command(args);
  if (r->type == REDIS_REPLY_NIL) return std::nullopt;
  REQUIRE(r->type == REDIS_REPLY_STRING);
  return std::string(r->str, r->len);
}

Fresh::Fresh(std::string prefix)
    : raw(main_options(), db_main), storage(main_options(db_main, std::move(prefix))) {
  REQUIRE(raw.command({"FLUSHDB"})->type == REDIS_REPLY_STATUS);
}

namespace {

int listen_on_any_port(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  port = ntohs(address.sin_port);
  return fd;
}

}  // namespace

int free_port() {
  int port = 0;
  ::close(listen_on_any_port(port));
  return port;
}

StalledServer::StalledServer(std::string greeting, bool hang_up) : greeting_(std::move(greeting)), hang_up_(hang_up) {
  listener_ = listen_on_any_port(port_);
  REQUIRE(::listen(listener_, 16) == 0);
  thread_ = std::thread([this] { run(); });
}

StalledServer::~StalledServer() {
  stop_ = true;
  thread_.join();
  ::close(listener_);
}

void StalledServer::run() {
  struct Client {
    int fd;
    bool greeted;
  };
  std::vector<Client> clients;
  while (!stop_) {
    std::vector<pollfd> fds{{listener_, POLLIN, 0}};
    for (const auto& c : clients) fds.push_back({c.fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
    std::vector<Client> still_open;
    for (std::size_t i = 1; i < fds.size(); ++i) {
      Client c = clients[i - 1];
      if (fds[i].revents != 0) {
        char buffer[4096];
        if (::recv(c.fd, buffer, sizeof buffer, 0) <= 0) {  // the client hung up
          ::close(c.fd);
          continue;
        }
        if (c.greeted && hang_up_) {
          ::close(c.fd);
          continue;
        }
        if (!c.greeted) {
          c.greeted = true;
          (void)::send(c.fd, greeting_.data(), greeting_.size(), MSG_NOSIGNAL);
        }
      }
      still_open.push_back(c);
    }
    clients = std::move(still_open);
    if (fds[0].revents & POLLIN) {
      if (const int fd = ::accept(listener_, nullptr, nullptr); fd >= 0) clients.push_back({fd, greeting_.empty()});
    }
  }
  for (const auto& c : clients) ::close(c.fd);
}

ServerProcess::ServerProcess(std::vector<std::string> extra_arguments) : port_(free_port()) {
  arguments_ = {"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "no", "--dir", "/tmp", "--logfile", "/dev/null",
                "--enable-debug-command", "local"};
  if (tls_run()) {
    tls_port_ = free_port();
    arguments_.insert(arguments_.end(), {"--tls-port", std::to_string(tls_port_), "--tls-cert-file",
                                         tls_file("server.crt"), "--tls-key-file", tls_file("server.key"),
                                         "--tls-ca-cert-file", tls_file("ca.crt"), "--tls-auth-clients", "no"});
  }
  arguments_.insert(arguments_.end(), extra_arguments.begin(), extra_arguments.end());
  start();
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) kill();
}

void ServerProcess::start() {
  REQUIRE(pid_ < 0);
  std::vector<char*> argv;
  for (auto& a : arguments_) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int error = ::posix_spawnp(&pid, "redis-server", nullptr, nullptr, argv.data(), environ);
  REQUIRE_MESSAGE(error == 0, "cannot start redis-server (is it on PATH?): " << std::strerror(error));
  pid_ = pid;
  for (int attempt = 0; attempt < 500; ++attempt) {
    if (answers_within(std::chrono::milliseconds(100))) return;
    int status = 0;
    REQUIRE_MESSAGE(::waitpid(pid_, &status, WNOHANG) == 0, "redis-server exited at start (port " << port_ << ")");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL("redis-server did not answer PING on port " << port_ << " within 5 s");
}

void ServerProcess::kill() {
  REQUIRE(pid_ > 0);
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

bool ServerProcess::answers_within(std::chrono::milliseconds limit) const {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(limit).count();
  const timeval tv{time_t(us / 1'000'000), suseconds_t(us % 1'000'000)};
  std::unique_ptr<redisContext, void (*)(redisContext*)> c(redisConnectWithTimeout("127.0.0.1", port_, tv), redisFree);
  if (!c || c->err != 0) return false;
  redisSetTimeout(c.get(), tv);
  cachet::redis::ReplyPtr pong(static_cast<redisReply*>(redisCommand(c.get(), "PING")));
  return pong && pong->type == REDIS_REPLY_STATUS;
}

RedisOptions ServerProcess::plain_options() const {
  RedisOptions o;
  o.host = "127.0.0.1";
  o.port = port_;
  return o;
}

RedisOptions ServerProcess::options() const {
  RedisOptions o = plain_options();
  if (tls_port_ != 0) {
    o.port = tls_port_;
    o.tls.enabled = true;
    o.tls.ca_file = tls_file("ca.crt");
  }
  return o;
}

int ServerProcess::clients() const {
  RawRedis raw(plain_options(), 0);
  const auto list = raw.string({"CLIENT", "LIST"}).value();
  return int(std::count(list.begin(), list.end(), '\n')) - 1;
}

}  // namespace redis_test
