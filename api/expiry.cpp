#include "cachet/expiry.hpp"

#include "engine/clock.hpp"

namespace cachet {

Result<engine::ExpiryAction> resolve(const Expiry& expiry) {
  using namespace std::chrono;
  switch (expiry.kind_) {
    case Expiry::Kind::never: return engine::ExpiryAction::persist();
    case Expiry::Kind::keep: return engine::ExpiryAction::keep();
    case Expiry::Kind::after: return engine::ExpiryAction::after(expiry.after_);
    case Expiry::Kind::daily: {
      const auto now = engine::clock::now();
      const auto local = now + expiry.utc_offset_;
      auto next = floor<days>(local) + hours(expiry.hour_) + minutes(expiry.minute_) + seconds(expiry.second_);
      if (next <= local) next += days(1);
      return engine::ExpiryAction::after(ceil<milliseconds>(next - local));
    }
    case Expiry::Kind::invalid: break;
  }
  return fail(Errc::out_of_range, expiry.problem_ ? expiry.problem_ : "invalid expiry");
}

}  // namespace cachet
