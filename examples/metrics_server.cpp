// A service's cache, scraped by Prometheus: cachet::metrics_text() served at /metrics over
// HTTP (Boost.Beast) while a small workload runs.
//
// First a fixed workload whose counts are known (printed, so a test can compare them with
// what /metrics says), then a cache-aside loop that keeps running on another thread while the
// server answers. It listens on 127.0.0.1; port 0 (the default) takes a free one. It prints
//   listening on 127.0.0.1:PORT
// once it accepts connections, and serves until killed (or for --seconds S).
//
//   ./metrics_server --port 9464 &
//   curl -s http://127.0.0.1:9464/metrics
//
// In a real service, add the /metrics handler to the HTTP server it already runs.
#include <cachet/cachet.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;
using namespace std::chrono_literals;

cachet::Cluster profiles("profiles");
cachet::StringKeyspace<std::string> names(profiles, {.key_pattern = "name/:key"});
cachet::IntKeyspace<std::string> visits(profiles, {.key_pattern = "visits/:key"});
cachet::StringKeyspace<int> pages(profiles, {.key_pattern = "page/:key", .default_expiry = cachet::expire_in(1min)});

// What the fixed workload does: `rounds` times, a get that misses, a set, a get that hits,
// and an increment.
void fixed_workload(int rounds) {
  for (int i = 0; i < rounds; ++i) {
    const std::string user = "u" + std::to_string(i);
    (void)names.get(user);
    (void)names.set(user, "User " + std::to_string(i));
    (void)names.get(user);
    (void)visits.increment(user);
  }
}

// Cache-aside over 200 pages until `stop`: a get, and on a miss a set.
void background_workload(const std::atomic<bool>& stop) {
  for (int i = 0; !stop.load(std::memory_order_relaxed); ++i) {
    const int n = i % 200;
    if (!pages.get(n)) (void)pages.set(n, "<html>page " + std::to_string(n) + "</html>");
    if (i % 1000 == 999) std::this_thread::sleep_for(1ms);  // a service idles between requests
  }
}

// One HTTP exchange per connection: GET /metrics answers the exposition text, anything else
// 404 (or 405 for another method).
void serve(tcp::socket socket) {
  beast::error_code ec;
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  http::read(socket, buffer, request, ec);
  if (ec) return;
  http::response<http::string_body> response;
  response.version(request.version());
  response.keep_alive(false);
  if (request.method() != http::verb::get) {
    response.result(http::status::method_not_allowed);
    response.set(http::field::allow, "GET");
    response.body() = "only GET\n";
  } else if (request.target() != "/metrics") {
    response.result(http::status::not_found);
    response.body() = "not found; try /metrics\n";
  } else {
    response.result(http::status::ok);
    response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    response.body() = cachet::metrics_text();
  }
  response.prepare_payload();
  http::write(socket, response, ec);
  socket.shutdown(tcp::socket::shutdown_send, ec);
}

int main(int argc, char** argv) {
  unsigned short port = 0;
  int rounds = 100;
  double seconds = 0;  // 0: until killed
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view arg = argv[i];
    if (arg == "--port") port = static_cast<unsigned short>(std::atoi(argv[i + 1]));
    else if (arg == "--rounds") rounds = std::atoi(argv[i + 1]);
    else if (arg == "--seconds") seconds = std::atof(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: %s [--port P] [--rounds N] [--seconds S]\n", argv[0]);
      return 2;
    }
  }

  fixed_workload(rounds);
  std::printf("fixed workload: %d rounds on cluster profiles\n", rounds);

  std::atomic<bool> stop{false};
  std::thread background(background_workload, std::cref(stop));

  boost::asio::io_context io;
  tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), port});
  std::printf("listening on 127.0.0.1:%u\n", unsigned(acceptor.local_endpoint().port()));
  std::fflush(stdout);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  acceptor.non_blocking(true);
  while (seconds <= 0 || std::chrono::steady_clock::now() < deadline) {
    beast::error_code ec;
    tcp::socket socket = acceptor.accept(ec);
    if (ec == boost::asio::error::would_block || ec == boost::asio::error::try_again) {
      std::this_thread::sleep_for(10ms);
      continue;
    }
    if (ec) {
      std::fprintf(stderr, "accept: %s\n", ec.message().c_str());
      continue;
    }
    socket.non_blocking(false);
    serve(std::move(socket));
  }
  stop = true;
  background.join();
  return 0;
}
