#include "federation/remote/post_hooks.hpp"

#include <mutex>

namespace civicpub::federation {
namespace {

std::mutex g_mutex;
PostHooks g_hooks;

}  // namespace

void set_post_hooks(PostHooks hooks) {
  std::lock_guard lock(g_mutex);
  g_hooks = std::move(hooks);
}

PostHooks post_hooks() {
  std::lock_guard lock(g_mutex);
  return g_hooks;
}

}  // namespace civicpub::federation
