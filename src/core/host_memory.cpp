/// glibc malloc tuning (see host_memory.h).
#include "interp/core/host_memory.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace interp {

void keep_freed_memory_for_reuse() {
#if defined(__GLIBC__)
  // Blocks below 256 MiB come from the heap (a 4K RGB float frame is 95 MiB), and up to
  // 1 GiB of free heap top is kept rather than trimmed.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 64 << 20);
  // One arena for every thread. glibc gives other threads arenas of their own, whose
  // heaps hold at most 64 MiB blocks: the job's model runs on its interpolate thread, so
  // its large tensors were mmap'ed and unmapped on every call whatever the threshold
  // (the job at --batch 4 ran the model at 54% of its pace on one thread; 100% so).
  mallopt(M_ARENA_MAX, 1);
#endif
}

}  // namespace interp
