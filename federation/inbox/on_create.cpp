#include "federation/inbox/activity_handlers.hpp"
#include "federation/inbox/post_intake.hpp"

namespace civicpub::federation::inbox {

// Create of a Note, Question, Article or Page. Other object types (ChatMessage, ...) are
// ignored; the checks and the storing are shared with Update (post_intake.hpp).
HandlerResult on_create(ActivityContext& ctx, const Activity& activity) {
  co_return co_await take_post(ctx, activity);
}

}  // namespace civicpub::federation::inbox
