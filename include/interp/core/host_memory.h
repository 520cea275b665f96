#pragma once
/// Host allocator policy for inference loops.

namespace interp {

/// Every frame allocates and frees the same large tensors. glibc's default returns such
/// blocks to the kernel (mmap'ed, or trimmed off the heap) and takes them back with fresh
/// zeroed pages, so each frame pays page faults. This keeps freed blocks in the heap for
/// reuse instead: measured +16% RIFE pairs/s at 1280x736 on 2 cores (README, Speed),
/// on every thread (one arena: a thread's own arena cannot keep blocks over 64 MiB).
/// Peak memory is unchanged; memory is returned at exit. No effect outside glibc.
void keep_freed_memory_for_reuse();

}  // namespace interp
