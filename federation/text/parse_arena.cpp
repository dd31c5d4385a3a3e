#include "federation/text/parse_arena.hpp"

#include <cstdlib>

namespace civicpub::federation::text {

ParseArena::~ParseArena() {
  while (blocks_ != nullptr) {
    Header* next = blocks_->next;
    std::free(blocks_);
    blocks_ = next;
  }
}

// Gumbo keeps no state outside the parser it allocates from us, and its frames hold nothing to
// release, so leaving a parse with longjmp (from allocate, below) is safe: the arena frees every
// block. Nothing between setjmp and longjmp has a destructor (this function's locals are
// trivial; the frames in between are Gumbo's C code and allocate).
GumboOutput* ParseArena::parse(GumboOptions options, std::string_view input) {
  options.allocator = &ParseArena::allocate;
  options.deallocator = &ParseArena::deallocate;
  options.userdata = this;
  if (setjmp(exhausted_) != 0) return nullptr;
  return gumbo_parse_with_options(&options, input.empty() ? "" : input.data(), input.size());
}

void* ParseArena::allocate(void* arena, std::size_t size) {
  auto& self = *static_cast<ParseArena*>(arena);
  ++self.work_.allocations;
  self.work_.bytes += size;
  if (self.work_.allocations > self.max_allocations_ || self.work_.bytes > self.max_bytes_) {
    std::longjmp(self.exhausted_, 1);
  }
  void* raw = std::malloc(sizeof(Header) + size);
  // Gumbo does not check for null: out of memory abandons the parse like the budget does.
  if (raw == nullptr) std::longjmp(self.exhausted_, 1);
  auto* header = static_cast<Header*>(raw);
  header->prev = nullptr;
  header->next = self.blocks_;
  if (self.blocks_ != nullptr) self.blocks_->prev = header;
  self.blocks_ = header;
  return header + 1;
}

void ParseArena::deallocate(void* arena, void* block) {
  if (block == nullptr) return;
  auto& self = *static_cast<ParseArena*>(arena);
  Header* header = static_cast<Header*>(block) - 1;
  if (header->prev != nullptr) {
    header->prev->next = header->next;
  } else {
    self.blocks_ = header->next;
  }
  if (header->next != nullptr) header->next->prev = header->prev;
  std::free(header);
}

}  // namespace civicpub::federation::text
