#include "server/inbound/activity_handlers.hpp"

#include "federation/as2/flag.hpp"
#include "server/services/reports.hpp"

namespace civicpub::server::inbound {

// Mastodon's Flag (app/lib/activitypub/activity/flag.rb): `object` lists the reported account and
// posts, `content` is the comment, `actor` the reporting server's instance actor. Only reports
// naming one of our accounts or posts are kept; a redelivery stores nothing twice.
HandlerResult on_flag(ActivityContext& ctx, const Activity& activity) {
  auto body = federation::as2::read_flag(activity.json);
  services::ReceivedFlag flag{activity.envelope.id, activity.envelope.actor,
                              std::move(body.objects), std::move(body.content), ctx.clock()};
  auto stored = co_await services::record_received_flag(ctx.db, std::move(flag));
  if (!stored) co_return stored.error();
  const auto& envelope = activity.envelope;
  if (*stored) {
    ctx.log.info("report {} received from {} ({})", **stored, envelope.actor, envelope.id);
  } else {
    ctx.log.debug("Flag {} from {} names nothing of ours (or was seen before)", envelope.id,
                  envelope.actor);
  }
  co_return Result<void>{};
}

}  // namespace civicpub::server::inbound
