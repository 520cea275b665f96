/// VideoReader's frame-exact starts (seek_to_frame), the walk over a video's shown
/// packets that counts frames, and the timestamps read to time them (sampled from a file,
/// read ahead from a pipe): all must agree on which packets are frames, so they live
/// together, apart from decoding.
#include "interp/io/video_reader.h"

#include "video_reader_state.h"

#include "interp/io/frame_rate.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <queue>
#include <utility>

namespace interp::io {

namespace {

/// Video packets that the demuxer marks to be decoded but not shown (before an MP4
/// edit list's start) are no frames of the video.
bool shown_video_packet(const AVPacket* p, int video_index) {
  return p->stream_index == video_index && !(p->flags & AV_PKT_FLAG_DISCARD);
}

/// Packets demuxed after the one a presentation-order frame needs: reordering (B-frames)
/// never reaches this far.
constexpr int64_t kReorderMargin = 64;

/// Shown packets' timestamps put in presentation order: each waits among the next
/// kReorderMargin and leaves them earliest first, so the n-th one out is frame n's.
/// seek_to_frame and presentation_times count frames by it, so they agree.
class PresentationOrder {
 public:
  explicit PresentationOrder(std::function<void(int64_t)> emit) : emit_(std::move(emit)) {}
  void add(int64_t pts) {
    waiting_.push(pts);
    if (static_cast<int64_t>(waiting_.size()) > kReorderMargin) release();
  }
  /// At the end of the packets: the rest, in order.
  void finish() {
    while (!waiting_.empty()) release();
  }

 private:
  void release() {
    const int64_t pts = waiting_.top();
    waiting_.pop();
    emit_(pts);
  }
  std::function<void(int64_t)> emit_;
  std::priority_queue<int64_t, std::vector<int64_t>, std::greater<>> waiting_;
};

}  // namespace

void av::for_each_shown_video_packet(const std::string& path, const std::function<bool(const AVPacket&)>& visit) {
  av::InputContext format = av::open_input(path);
  const int video = av::keep_only_video(format.get(), path);
  av::Packet packet = av::make_packet();
  int ret = 0;
  bool going = true;
  while (going && (ret = av_read_frame(format.get(), packet.get())) >= 0) {
    if (shown_video_packet(packet.get(), video)) going = visit(*packet);
    av_packet_unref(packet.get());
  }
  if (ret < 0 && ret != AVERROR_EOF)
    throw Error(path + ": read error (" + av::error_string(ret) + "); truncated or corrupt file?");
}

std::vector<std::vector<int64_t>> av::sample_video_timestamps(const std::string& path, int64_t first, int points,
                                                              int64_t per_point) {
  av::InputContext format = av::open_input(path);
  const int video = av::keep_only_video(format.get(), path);
  const AVStream* stream = format->streams[video];
  av::Packet packet = av::make_packet();
  std::vector<std::vector<int64_t>> stretches;
  // The timestamps of the next `limit` shown packets at or after `from` as a stretch
  // (a seek lands on the keyframe before); false where the file, or what can be read of
  // it, ended first.
  const auto read_stretch = [&](int64_t limit, int64_t from) {
    auto& times = stretches.emplace_back();
    int64_t visited = 0;
    while (visited < limit && av_read_frame(format.get(), packet.get()) >= 0) {
      const bool untimed = packet->pts == AV_NOPTS_VALUE;
      if (shown_video_packet(packet.get(), video) && (untimed || packet->pts >= from)) {
        ++visited;
        if (!untimed) times.push_back(packet->pts);
      }
      av_packet_unref(packet.get());
    }
    return visited == limit;
  };
  if (!read_stretch(first, INT64_MIN) || points <= 0) return stretches;
  int64_t duration = stream->duration;
  if (duration == AV_NOPTS_VALUE && format->duration > 0)
    duration = av_rescale_q(format->duration, AV_TIME_BASE_Q, stream->time_base);
  const int64_t start = stream->start_time == AV_NOPTS_VALUE ? 0 : stream->start_time;
  constexpr int64_t kFar = INT64_MAX / 4;  // a hostile header's times: no sum may overflow
  const auto& opening = stretches.front();
  if (opening.empty() || duration == AV_NOPTS_VALUE || duration <= 0 || duration > kFar || start > kFar ||
      start < -kFar)
    return stretches;
  // The points share what the opening did not read.
  const int64_t read_to = std::clamp(*std::max_element(opening.begin(), opening.end()), start, start + duration);
  const int64_t rest = start + duration - read_to;
  for (int k = 1; k <= points && rest > 0; ++k) {
    const int64_t target = read_to + av_rescale(rest, k, points + 1);
    if (avformat_seek_file(format.get(), video, INT64_MIN, target, target, 0) < 0) break;
    if (!read_stretch(per_point, target)) break;
  }
  return stretches;
}

int64_t count_video_frames(const std::string& path) {
  int64_t frames = 0;
  av::for_each_shown_video_packet(path, [&](const AVPacket&) {
    ++frames;
    return true;
  });
  return frames;
}

std::vector<std::optional<int64_t>> presentation_times(const std::string& path, int64_t count) {
  std::vector<std::optional<int64_t>> times;
  const auto full = [&] { return count > 0 && static_cast<int64_t>(times.size()) >= count; };
  PresentationOrder order([&](int64_t pts) {
    if (!full()) times.emplace_back(pts);
  });
  av::for_each_shown_video_packet(path, [&](const AVPacket& packet) {
    if (packet.pts == AV_NOPTS_VALUE)
      times.emplace_back();
    else
      order.add(packet.pts);
    return !full();
  });
  order.finish();
  return times;
}

std::vector<int64_t> VideoReader::read_ahead() {
  auto& s = *state_;
  std::vector<int64_t> times;
  int64_t frames = 0, bytes = 0;
  while (frames < kRateSamplePackets && bytes < kReadAheadBytes) {
    av::Packet packet = av::make_packet();
    if (av_read_frame(s.format.get(), packet.get()) < 0) break;  // the end, or damage: next() meets it again
    bytes += packet->size;
    if (shown_video_packet(packet.get(), s.video_index)) {
      ++frames;
      if (packet->pts != AV_NOPTS_VALUE) times.push_back(packet->pts);
    }
    s.lookahead.push_back(std::move(packet));
  }
  return times;
}

void VideoReader::seek_to_frame(int64_t index, std::optional<int64_t> known_pts) {
  auto& s = *state_;
  if (index <= 0) return;
  s.seek_index = index;
  const bool seekable = s.format->pb && (s.format->pb->seekable & AVIO_SEEKABLE_NORMAL);
  if (!seekable) {  // a pipe: decode from here and discard
    s.skip_frames = index;
    return;
  }
  // Frame `index` by its presentation timestamp: exact also when frames are reordered
  // or the rate varies.
  std::optional<int64_t> target = known_pts;  // else found below
  int64_t frames = 0;  // put in order so far
  PresentationOrder order([&](int64_t pts) {
    if (frames++ == index) target = pts;
  });
  bool untimed = false, ended = false;
  while (!untimed && !target && !ended) {
    const int ret = s.read_packet(s.packet.get());
    ended = ret == AVERROR_EOF;
    if (ret < 0 && !ended)
      throw Error(s.path + ": read error (" + av::error_string(ret) + "); truncated or corrupt file?");
    if (!ended && shown_video_packet(s.packet.get(), s.video_index)) {
      untimed = s.packet->pts == AV_NOPTS_VALUE;
      if (!untimed) order.add(s.packet->pts);
    }
    av_packet_unref(s.packet.get());
  }
  if (untimed) {
    s.skip_frames = index;  // packets without timestamps: count frames from the start
    seek_before(s.info.start_pts);
    return;
  }
  order.finish();
  if (!target)
    throw Error(s.path + ": has " + std::to_string(frames) + " frames; there is no frame " + std::to_string(index));
  s.skip_before_pts = *target;
  s.seek_pts = *target;
  seek_before(s.seek_pts);
}

void VideoReader::seek_before(int64_t pts) {
  auto& s = *state_;
  // To the keyframe at or before `pts` by the demuxer's index; from the start of the
  // file when it has none.
  if (avformat_seek_file(s.format.get(), s.video_index, INT64_MIN, pts, pts, 0) < 0) {
    s.seek_pts = INT64_MIN;
    av::check(avformat_seek_file(s.format.get(), s.video_index, INT64_MIN, s.info.start_pts, s.info.start_pts, 0),
              s.path + ": seek to the start");
  }
  avcodec_flush_buffers(s.decoder.get());
  s.lookahead.clear();  // read before the seek
  s.input_done = false;
  s.packet_pending = false;
  av_packet_unref(s.packet.get());
}

bool VideoReader::keep_after_seek() {
  auto& s = *state_;
  if (s.skip_frames > 0) {
    --s.skip_frames;
    return false;
  }
  const int64_t pts = s.frame->best_effort_timestamp;
  const int64_t target = *s.skip_before_pts;
  if (pts == AV_NOPTS_VALUE || pts < target) return false;
  if (pts > target) {
    // The keyframe found comes after the frame asked for (indices list decode times,
    // and B-frames are shown before the keyframe they follow): seek again, twice as
    // far back each time, at last from the start of the file.
    if (s.seek_pts == INT64_MIN)
      throw Error(s.path + ": the frame at timestamp " + std::to_string(target) +
                  " cannot be decoded, so the video cannot start there exactly");
    if (++s.seek_retries > 8) {
      s.seek_pts = INT64_MIN;
      seek_before(s.info.start_pts);
    } else {
      s.seek_pts -= std::max<int64_t>(1, 2 * (pts - s.seek_pts));
      seek_before(s.seek_pts);
    }
    return false;
  }
  s.skip_before_pts.reset();
  s.dropped_at_last_frame = s.damage.dropped_packets;
  return true;
}

}  // namespace interp::io
