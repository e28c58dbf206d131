// A session store: what a web service keeps about each signed-in browser. The key is a
// struct (the user and the session's token), so a session can only be looked up with both,
// and the value is a struct stored as JSON: StructKeyspace does both from two
// BOOST_DESCRIBE_STRUCT lines. A session lives 30 minutes from sign-in; putting something in
// the cart keeps that deadline (keep_ttl) rather than extending it.
//
// Runs with no configuration (the development cache), or for example with
//   CACHET_ENV=production CACHET_URL='memory://?max_keys=10000' ./session_store
//   CACHET_ENV=production CACHET_URL=redis://127.0.0.1:6379 ./session_store
#include <cachet/cachet.hpp>

#include <boost/describe.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;

// The key: its fields fill the pattern's placeholders, by name.
struct SessionKey {
  std::string user_id;
  std::string token;
};
BOOST_DESCRIBE_STRUCT(SessionKey, (), (user_id, token))

// The value: stored as a JSON object of these fields.
struct Session {
  std::string name;
  std::string role;
  std::vector<std::string> cart;
};
BOOST_DESCRIBE_STRUCT(Session, (), (name, role, cart))

inline cachet::Cluster sessions_cluster("sessions");
inline cachet::StructKeyspace<SessionKey, Session> sessions(sessions_cluster, {
    .key_pattern = "session/:user_id/:token",
    .default_expiry = cachet::expire_in(30min),
});

// Prints what a request with this key would find: the session, or why there is none.
bool show(const char* label, const SessionKey& key) {
  const auto session = sessions.get(key);
  if (session) {
    std::printf("%s: %s (%s), %zu items in the cart\n", label, session->name.c_str(), session->role.c_str(),
                session->cart.size());
    return true;
  }
  if (session.error().code == cachet::Errc::miss) {  // signed out, expired, or never signed in
    std::printf("%s: no session\n", label);
    return true;
  }
  std::fprintf(stderr, "%s\n", session.error().what().c_str());  // the cache failed: not the same
  return false;
}

// Adds an item to the session's cart without moving the session's 30-minute deadline.
cachet::Result<void> add_to_cart(const SessionKey& key, const std::string& item) {
  auto session = sessions.get(key);
  if (!session) return std::unexpected(session.error());
  session->cart.push_back(item);
  // replace: only if the session still exists (it may have expired since the get).
  return sessions.with(cachet::keep_ttl).replace(key, *session);
}

int main() {
  const SessionKey laptop{"ana", "tok-laptop"};
  const SessionKey phone{"ana", "tok-phone"};
  const Session ana{.name = "Ana", .role = "member", .cart = {}};

  // Signing in on two devices: two sessions, one per token.
  for (const SessionKey& key : {laptop, phone}) {
    if (auto ok = sessions.set(key, ana); !ok) return std::fprintf(stderr, "%s\n", ok.error().what().c_str()), 1;
  }
  for (const char* item : {"teapot", "kettle"}) {
    if (auto ok = add_to_cart(laptop, item); !ok) return std::fprintf(stderr, "%s\n", ok.error().what().c_str()), 1;
  }
  bool ok = show("ana on the laptop", laptop) && show("ana on the phone", phone);

  // Signing out of the laptop ends that session only.
  if (auto erased = sessions.erase(laptop); !erased) return std::fprintf(stderr, "%s\n", erased.error().what().c_str()), 1;
  ok = ok && show("ana on the laptop, signed out", laptop) && show("ana on the phone", phone);

  // A guessed token finds nothing: the key needs the user and the token.
  ok = ok && show("ana with a guessed token", SessionKey{"ana", "tok-guess"});
  return ok ? 0 : 1;
}
