#include "reply.hpp"

#include <array>
#include <utility>

namespace cachet::redis {
namespace {

struct Rule {
  std::string_view text;
  Errc code;
};

// An error reply starts with a code word (WRONGTYPE, OOM, ...) or ERR and a sentence; the
// sentences are matched by a phrase, first match wins ("not an integer or out of range" is
// invalid_value before "out of range" is out_of_range).
constexpr std::array prefix_rules{
    Rule{"WRONGTYPE", Errc::wrong_type},     Rule{"OOM", Errc::out_of_memory},
    Rule{"NOAUTH", Errc::not_configured},    Rule{"WRONGPASS", Errc::not_configured},
    Rule{"NOPERM", Errc::not_configured},    Rule{"LOADING", Errc::unavailable},
    Rule{"BUSY", Errc::unavailable},         Rule{"MASTERDOWN", Errc::unavailable},
    Rule{"READONLY", Errc::unavailable},
};
constexpr std::array phrase_rules{
    Rule{"invalid password", Errc::not_configured},
    Rule{"invalid username-password", Errc::not_configured},
    Rule{"without any password configured", Errc::not_configured},
    Rule{"not an integer", Errc::invalid_value},
    Rule{"not a valid float", Errc::invalid_value},
    Rule{"not a float", Errc::invalid_value},  // HINCRBYFLOAT: "hash value is not a float"
    Rule{"would produce NaN or Infinity", Errc::invalid_value},
    Rule{"not a number (NaN)", Errc::invalid_value},  // ZINCRBY inf + -inf
    Rule{"min or max is not a float", Errc::invalid_value},
    Rule{"overflow", Errc::out_of_range},
    Rule{"out of range", Errc::out_of_range},  // index, offset, count
    Rule{"maximum allowed size", Errc::out_of_range},
    Rule{"invalid expire time", Errc::out_of_range},
    Rule{"no such key", Errc::miss},
};

std::string_view type_name(int type) {
  switch (type) {
    case REDIS_REPLY_STRING: return "a bulk string";
    case REDIS_REPLY_ARRAY: return "an array";
    case REDIS_REPLY_INTEGER: return "an integer";
    case REDIS_REPLY_NIL: return "nil";
    case REDIS_REPLY_STATUS: return "a status";
    case REDIS_REPLY_ERROR: return "an error";
  }
  return "an unknown reply";
}

std::unexpected<Error> unexpected_shape(const redisReply& reply, std::string_view wanted) {
  if (reply.type == REDIS_REPLY_ERROR) return std::unexpected(reply_error(reply));
  return fail(Errc::protocol, "redis answered " + std::string(type_name(reply.type)) + " where " +
                                  std::string(wanted) + " was expected");
}

std::string_view text(const redisReply& reply) { return {reply.str, reply.len}; }

// An error raised inside the write script carries where in the script it was raised: Redis 7
// appends " script: <sha>, on @user_script:<line>.", older servers begin with "Error running
// script (call to f_<sha>): ", and a Lua error names "user_script:<line>: ". None of it says
// anything to the caller about their data, so it is dropped, leaving the server's sentence.
std::string_view without_script_trace(std::string_view m) {
  if (const auto at = m.find(" script: "); at != std::string_view::npos &&
                                           m.find("@user_script", at) != std::string_view::npos) {
    m = m.substr(0, at);
  }
  if (m.starts_with("Error running script")) {
    if (const auto end = m.find("): "); end != std::string_view::npos) m.remove_prefix(end + 3);
  }
  for (;;) {
    std::string_view rest = m;
    if (rest.starts_with('@')) rest.remove_prefix(1);
    if (!rest.starts_with("user_script:")) break;
    rest.remove_prefix(std::string_view("user_script:").size());
    if (rest.starts_with(' ')) rest.remove_prefix(1);
    const auto digits = rest.find_first_not_of("0123456789");
    if (digits == 0 || digits == std::string_view::npos || !rest.substr(digits).starts_with(": ")) break;
    m = rest.substr(digits + 2);
  }
  return m;
}

}  // namespace

Errc classify_error(std::string_view message) {
  for (const Rule& rule : prefix_rules) {
    if (message.starts_with(rule.text)) return rule.code;
  }
  for (const Rule& rule : phrase_rules) {
    if (message.find(rule.text) != std::string_view::npos) return rule.code;
  }
  return Errc::protocol;
}

Error reply_error(const redisReply& reply) {
  std::string_view message = text(reply);
  if (message.starts_with("ERR ")) message.remove_prefix(4);
  message = without_script_trace(message);
  Errc code = classify_error(text(reply));
  if (code == Errc::protocol) code = classify_error(message);  // a code word after the trace
  return Error{code, {}, {}, std::string(message)};
}

Result<std::int64_t> integer(const redisReply& reply) {
  if (reply.type != REDIS_REPLY_INTEGER) return unexpected_shape(reply, "an integer");
  return std::int64_t(reply.integer);
}

Result<std::optional<std::string>> bulk(const redisReply& reply) {
  if (reply.type == REDIS_REPLY_NIL) return std::nullopt;
  if (reply.type != REDIS_REPLY_STRING) return unexpected_shape(reply, "a bulk string");
  return std::string(text(reply));
}

Result<std::vector<std::string>> strings(const redisReply& reply) {
  if (reply.type != REDIS_REPLY_ARRAY) return unexpected_shape(reply, "an array");
  std::vector<std::string> out;
  out.reserve(reply.elements);
  for (std::size_t i = 0; i < reply.elements; ++i) {
    const redisReply& item = *reply.element[i];
    if (item.type != REDIS_REPLY_STRING) return unexpected_shape(item, "a bulk string");
    out.emplace_back(text(item));
  }
  return out;
}

Result<std::vector<std::optional<std::string>>> optional_strings(const redisReply& reply) {
  if (reply.type != REDIS_REPLY_ARRAY) return unexpected_shape(reply, "an array");
  std::vector<std::optional<std::string>> out;
  out.reserve(reply.elements);
  for (std::size_t i = 0; i < reply.elements; ++i) {
    auto item = bulk(*reply.element[i]);
    if (!item) return std::unexpected(std::move(item.error()));
    out.push_back(std::move(*item));
  }
  return out;
}

Result<void> status(const redisReply& reply) {
  if (reply.type != REDIS_REPLY_STATUS) return unexpected_shape(reply, "a status");
  return {};
}

Result<std::string> present(Result<std::optional<std::string>> value) {
  if (!value) return std::unexpected(std::move(value.error()));
  if (!*value) return fail(Errc::miss, "cache miss");
  return std::move(**value);
}

Result<std::string> string_reply(const redisReply& reply) { return present(bulk(reply)); }

Replies::Replies(std::vector<ReplyPtr> replies) : owned_(std::move(replies)) {
  items_.reserve(owned_.size());
  for (const auto& r : owned_) items_.push_back(r.get());
}

Replies Replies::elements_of(ReplyPtr array) {
  Replies out;
  out.items_.assign(array->element, array->element + array->elements);
  out.owned_.push_back(std::move(array));
  return out;
}

Result<std::int64_t> total(Result<Replies> replies) {
  if (!replies) return std::unexpected(std::move(replies.error()));
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < replies->size(); ++i) {
    auto n = integer((*replies)[i]);
    if (!n) return n;
    sum += *n;
  }
  return sum;
}

}  // namespace cachet::redis
