#include "server/views/poll_view.hpp"

#include "storage/polls.hpp"

namespace civicpub::server::views {

federation::as2::PollView poll_view(const storage::PollRecord& poll,
                                    const std::vector<storage::OptionCount>& counts,
                                    std::int64_t voters) {
  federation::as2::PollView view;
  view.multiple = poll.multiple;
  view.end_time = poll.closes_at;
  view.closed = poll.closed_at;
  view.voters_count = voters;
  for (const auto& count : counts) view.options.push_back({count.name, count.total()});
  return view;
}

Result<std::optional<federation::as2::PollView>> find_poll_view(storage::Connection& conn,
                                                                std::int64_t post_id) {
  using Found = std::optional<federation::as2::PollView>;
  auto poll = storage::polls::find(conn, post_id);
  if (!poll) return poll.error();
  if (!*poll) return Found();
  auto counts = storage::polls::counts(conn, post_id);
  if (!counts) return counts.error();
  auto voters = storage::polls::voters(conn, post_id);
  if (!voters) return voters.error();
  return Found(poll_view(**poll, *counts, voters->total()));
}

}  // namespace civicpub::server::views
