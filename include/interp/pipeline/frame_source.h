#pragma once
/// Where input frames come from, one value at a time in source order: a decoded frame,
/// a packet to stream-copy (video only), or the end.
#include "interp/base/picture_size.h"
#include "interp/io/source_streams.h"
#include "interp/io/video_reader.h"
#include "interp/pipeline/frame_grid.h"

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace interp::pipeline {

using SourceItem = std::variant<io::VideoFrame, io::Packet, io::EndOfStream>;

/// Where a piece of the input starts: its first input frame and, where already read,
/// that frame's timestamp (a video file's piece reads every timestamp up to its end to
/// place itself: io::presentation_times), so that the seek does not read them again.
struct PieceStart {
  int64_t frame = 0;
  std::optional<int64_t> pts;
};

/// What a job reads: a video (a file, or "-" for standard input) or pictures in order.
struct JobInput {
  std::string video;                  ///< empty when the input is `pictures`
  std::vector<std::string> pictures;  ///< at least two, all of one size
  std::string name;                   ///< what messages call the input (a folder, a pattern)
  io::Rational picture_rate{0, 1};    ///< frames per second of the pictures (0: none given)
  std::vector<std::string> also_read;  ///< files read besides the frames (the model file)

  /// Every file read: what no output may be.
  std::vector<std::string> paths() const {
    auto all = pictures.empty() ? std::vector<std::string>{video} : pictures;
    all.insert(all.end(), also_read.begin(), also_read.end());
    return all;
  }
};

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  /// The next item; `recycled` is a buffer the caller no longer needs (may be empty).
  virtual SourceItem next(io::Image recycled) = 0;
  /// Input frames per second: the video's, or what the pictures were given (0/1: none).
  virtual io::Rational frame_rate() const = 0;
  /// Frames expected (0 when unknown): the container's count.
  virtual int64_t frame_count() const = 0;
  /// Slots of the input's rate expected, for progress: more than its frames where a
  /// variable rate skips slots (frame_grid.h).
  virtual int64_t expected_slots() const { return frame_count(); }
  /// What to call the input in messages.
  virtual std::string name() const = 0;
  /// Damage concealed or dropped so far (videos only).
  virtual io::DecodeDamage damage() const { return {}; }
  /// Timestamp units per frame, to see frames lost to damage (0: no timestamps).
  virtual double frame_step() const { return 0; }
  /// Whether frame_rate() was judged on the opening frames alone (a pipe, which cannot
  /// be read twice): later frames may come faster (frame_grid.h).
  virtual bool rate_from_opening() const { return false; }
  /// The grid its frames are placed on (frame_grid.h): one rule for the job, its pieces
  /// and training, so that all three give a frame the same slot.
  FrameGrid grid() const { return FrameGrid(frame_step(), frame_rate().value(), rate_from_opening()); }
  /// Frame size known before decoding (a video's stream, a picture's header), if any.
  virtual std::optional<PictureSize> frame_size() const = 0;
  /// Makes input frame `start.frame` the next one, exactly (before the first next()); a
  /// piece of the input carries no audio or subtitles.
  virtual void start_at(const PieceStart& start) = 0;
  /// The frames' properties and the streams an output copies (source_streams.h); after
  /// start_at(), a piece's: no audio or subtitles.
  virtual io::SourceStreams streams() const = 0;
  /// Reads limited-range video with full swing (full_swing.h) when it is `swing`, the
  /// one the output writes back; true if it will. Before the first next().
  virtual bool read_full_swing(const io::FullSwing& /*swing*/) { return false; }
};

/// The source for `input`, at its first frame; a piece's is then started where it starts
/// (FrameSource::start_at, even at frame 0: a piece carries no audio or subtitles).
std::unique_ptr<FrameSource> open_source(const JobInput& input, const io::DecodeOptions& decode);

/// A video file (FFmpeg); its audio/subtitle packets come along for stream copy.
class VideoFileSource : public FrameSource {
 public:
  VideoFileSource(const std::string& path, const io::DecodeOptions& options) : path_(path), reader_(path, options) {}
  SourceItem next(io::Image recycled) override { return reader_.next(std::move(recycled)); }
  io::Rational frame_rate() const override { return reader_.info().frame_rate; }
  int64_t frame_count() const override { return reader_.info().frame_count; }
  int64_t expected_slots() const override { return io::expected_slots(reader_.info()); }
  std::string name() const override { return path_; }
  io::DecodeDamage damage() const override { return reader_.damage(); }
  double frame_step() const override { return io::frame_step(reader_.info()); }
  bool rate_from_opening() const override { return reader_.info().rate_from_opening; }
  std::optional<PictureSize> frame_size() const override {
    return PictureSize{reader_.info().width, reader_.info().height};
  }
  void start_at(const PieceStart& start) override {
    reader_.drop_other_streams();
    reader_.seek_to_frame(start.frame, start.pts);
  }
  io::SourceStreams streams() const override { return reader_.streams(); }
  bool read_full_swing(const io::FullSwing& swing) override {
    if (reader_.full_swing() != swing) return false;
    reader_.read_full_swing(swing);
    return true;
  }

 private:
  std::string path_;
  io::VideoReader reader_;
};

/// A picture sequence a job can use, judged without decoding (so before a model loads):
/// at least two pictures, and every header (where its format has one) within
/// `max_pixels` and of the first's size. `name` is what messages call the list.
void check_pictures(const std::vector<std::string>& paths, const std::string& name, int64_t max_pixels);

/// Still pictures in the given order, all of one size (else interp::Error naming the file).
class ImageListSource : public FrameSource {
 public:
  /// `name`: how messages call the list (its folder, say). Each picture is checked
  /// against decode.max_pixels from its header before it is decoded (read_image) and
  /// against the first's size after; check_pictures() compares headers before any
  /// decoding. With decode.strict a picture decoded with concealed damage is an error.
  ImageListSource(std::vector<std::string> paths, std::string name, const io::DecodeOptions& decode = {},
                  io::Rational rate = {0, 1});
  SourceItem next(io::Image recycled) override;
  io::Rational frame_rate() const override { return rate_; }
  int64_t frame_count() const override { return static_cast<int64_t>(paths_.size()); }
  std::string name() const override { return name_; }
  io::DecodeDamage damage() const override { return damage_; }
  std::optional<PictureSize> frame_size() const override {
    return paths_.empty() ? std::nullopt : io::read_picture_size(paths_.front());
  }
  void start_at(const PieceStart& start) override;
  /// The first picture's size and depth, sRGB as BT.709, 4:2:0 (10-bit for 16-bit
  /// pictures) unless the encoder says otherwise; nothing to copy. Reads the first picture.
  io::SourceStreams streams() const override;

 private:
  std::vector<std::string> paths_;
  std::string name_;
  io::DecodeOptions decode_;
  io::Rational rate_;
  io::DecodeDamage damage_;  // pictures decoded with concealed errors
  size_t next_ = 0;
  int width_ = 0, height_ = 0;
};

}  // namespace interp::pipeline
