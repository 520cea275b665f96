#pragma once
/// A blocking FIFO of fixed capacity between pipeline threads. close() wakes everyone:
/// pop() then drains what is left and returns false; push() after close() drops.
#include <condition_variable>
#include <deque>
#include <mutex>

namespace interp::pipeline {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}

  /// Blocks while full. Returns false (dropping the item) when the queue is closed.
  bool push(T item) {
    std::unique_lock<std::mutex> lock(mutex_);
    ++waiting_pushers_;
    not_full_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
    --waiting_pushers_;
    if (closed_) return false;
    items_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }

  /// Blocks while empty. Returns false once closed and drained.
  bool pop(T& item) {
    std::unique_lock<std::mutex> lock(mutex_);
    not_empty_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return false;
    item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return true;
  }

  /// Producers blocked in push() because the queue is full: how a stall shows (and what
  /// a test waits for instead of a clock).
  size_t waiting_pushers() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return waiting_pushers_;  // one that need not wait never releases the lock in between
  }

  void close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  size_t capacity_;
  std::deque<T> items_;
  bool closed_ = false;
  size_t waiting_pushers_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
};

}  // namespace interp::pipeline
