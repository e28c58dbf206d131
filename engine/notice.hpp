// Notices: one line a backend wants an operator to read (the development purge, a Redis
// reconnect). They go to the sink the application set (cachet::set_observer plugs its
// Observer::on_notice in here), else to stderr. The engine sees no api, so the sink is a plain
// function the api room installs.
#pragma once

#include <string_view>

namespace cachet::engine {

// Where notices go; nullptr (the default) is stderr, as "cachet: <text>".
using NoticeSink = void (*)(std::string_view text);
void set_notice_sink(NoticeSink sink) noexcept;

// Sends one notice to the sink (may be called on any thread).
void notice(std::string_view text);

}  // namespace cachet::engine
