// A memory budget for one Gumbo parse. Gumbo builds the tree the HTML5 algorithm asks for, and
// for some inputs that tree is far larger than the input: unclosed formatting elements are
// re-opened ("reconstructed") for every later paragraph, so 2,000 distinct <b>s followed by
// 2,000 "<p>a" make four million elements from 100 KB (issue 11, item 1). The arena serves
// Gumbo's allocations, counts them (the work the parse did), and abandons the parse once it
// has allocated more than its budget: everything it allocated is freed with the arena.
#pragma once

#include <gumbo.h>

#include <csetjmp>
#include <cstddef>
#include <string_view>

namespace civicpub::federation::text {

// What a parse allocated, in calls and bytes (not what is still live).
struct ParseWork {
  std::size_t allocations = 0;
  std::size_t bytes = 0;
};

class ParseArena {
 public:
  ParseArena(std::size_t max_allocations, std::size_t max_bytes)
      : max_allocations_(max_allocations), max_bytes_(max_bytes) {}
  ~ParseArena();
  ParseArena(const ParseArena&) = delete;
  ParseArena& operator=(const ParseArena&) = delete;

  // Gumbo's output for `input`, owned by the arena (valid until it is destroyed), or nullptr
  // when the parse needed more than the budget. One parse per arena.
  GumboOutput* parse(GumboOptions options, std::string_view input);

  const ParseWork& work() const { return work_; }

 private:
  // Every block starts with this header, so the arena can free what Gumbo left behind.
  struct alignas(alignof(std::max_align_t)) Header {
    Header* prev;
    Header* next;
  };

  static void* allocate(void* arena, std::size_t size);
  static void deallocate(void* arena, void* block);

  std::size_t max_allocations_;
  std::size_t max_bytes_;
  ParseWork work_;
  Header* blocks_ = nullptr;
  std::jmp_buf exhausted_{};
};

}  // namespace civicpub::federation::text
