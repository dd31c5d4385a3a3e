#include "server/inbound/activity_handlers.hpp"
#include "server/inbound/post_intake.hpp"

namespace civicpub::server::inbound {

// Create of a Note, Question, Article or Page. Other object types (ChatMessage, ...) are
// ignored; the checks and the storing are shared with Update (post_intake.hpp).
HandlerResult on_create(ActivityContext& ctx, const Activity& activity) {
  co_return co_await take_post(ctx, activity);
}

}  // namespace civicpub::server::inbound
