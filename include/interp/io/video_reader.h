#pragma once
/// Demuxes and decodes the best video stream of any file FFmpeg reads, converting
/// frames to RGB (8-bit, or 16-bit for deeper sources), and hands out the packets of
/// audio/subtitle streams untouched so they can be stream-copied in order.
#include "interp/io/image.h"
#include "interp/io/image_header.h"
#include "interp/io/packet.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace interp::io {

struct Rational {
  int num = 0;
  int den = 1;
  double value() const { return den ? static_cast<double>(num) / den : 0.0; }
};

struct VideoInfo;
struct SourceStreams;
/// Timestamp units (the stream's time base) per frame at the nominal rate; 0 if unknown.
double frame_step(const VideoInfo& info);
/// Slots of the frame grid the video spans, for progress: its duration at the grid's
/// rate, or its frame count when that is more (0 when neither is known). A variable
/// rate spans more slots than it has frames (frame_grid.h).
int64_t expected_slots(const VideoInfo& info);

struct VideoInfo {
  int width = 0;
  int height = 0;
  Rational frame_rate;          ///< the grid its frames sit on (frame_rate.h)
  bool rate_from_opening = false;  ///< frame_rate judged on the opening frames alone (a pipe)
  Rational time_base;           ///< of the video stream
  int64_t start_pts = 0;        ///< first timestamp, in time_base
  int64_t frame_count = 0;      ///< container's count, 0 when unknown
  double duration = 0;          ///< seconds of the stream (else of the file), 0 when unknown
  int bit_depth = 8;            ///< bits per component of the source pixel format
  std::string codec;            ///< decoder name
  std::string pixel_format;     ///< source pixel format name
  int color_primaries = 2;      ///< AVColorPrimaries (2 = unspecified)
  int color_trc = 2;            ///< AVColorTransferCharacteristic
  int colorspace = 2;           ///< AVColorSpace
  int color_range = 0;          ///< AVColorRange
  int chroma_location = 0;      ///< AVChromaLocation
  Rational sample_aspect_ratio; ///< 0/1 when unknown
};

/// A decoded frame, RGB, with its timestamp in the stream's time base.
struct VideoFrame {
  static constexpr int64_t kUntimed = INT64_MIN;  ///< FFmpeg's AV_NOPTS_VALUE: no timestamp
  Image image;
  int64_t pts = 0;  ///< in the stream's time base, or kUntimed
  int64_t dropped_before = 0;  ///< damaged packets dropped since the previous frame
  /// pts, or nothing for an untimed frame: what FrameGrid places.
  std::optional<int64_t> timestamp() const { return pts == kUntimed ? std::nullopt : std::optional<int64_t>(pts); }
};
struct EndOfStream {};

/// How strict and how large decoding may be.
struct DecodeOptions {
  bool strict = false;  ///< damaged video data is an error (else concealed/dropped and counted)
  int64_t max_pixels = kDefaultMaxPixels;  ///< larger frames are refused (interp::OverLimit)
};

/// Damage met while decoding a readable stream: packets the decoder refused (dropped)
/// and frames it returned with concealed errors.
struct DecodeDamage {
  int64_t dropped_packets = 0;
  int64_t concealed_frames = 0;
  bool any() const { return dropped_packets || concealed_frames; }
};

/// Frames in the video stream of `path`, counted from its packets (demuxing only, so
/// cheap even for a film): what a whole run decodes unless packets are damaged.
int64_t count_video_frames(const std::string& path);

/// The timestamps of the first `count` frames of `path` (count <= 0: all), in the order
/// they are shown (nullopt: a packet without one), from its packets (demuxing only),
/// reordered as VideoReader::seek_to_frame names frames: where a piece of the video
/// falls on the whole video's frame grid (pipeline/frame_grid.h).
std::vector<std::optional<int64_t>> presentation_times(const std::string& path, int64_t count);

class VideoReader {
 public:
  /// Opens `path` ("-": standard input, its format probed). Throws interp::Error:
  /// "<path>: no such file", "... not a video", "... interlaced" ... With
  /// options.strict, damaged video data is an error too; otherwise it is concealed or
  /// dropped and counted (damage()).
  explicit VideoReader(const std::string& path, const DecodeOptions& options = {});
  /// The same from a file's bytes in memory (`name` for messages).
  VideoReader(std::vector<uint8_t> bytes, const std::string& name, const DecodeOptions& options = {});
  ~VideoReader();
  VideoReader(const VideoReader&) = delete;
  VideoReader& operator=(const VideoReader&) = delete;

  const VideoInfo& info() const;
  const DecodeDamage& damage() const;

  /// The next thing in source order: a decoded video frame (into `recycled`'s buffer
  /// when it has one), a packet of an audio/subtitle stream to copy, or the end.
  std::variant<VideoFrame, Packet, EndOfStream> next(Image recycled = {});

  /// Makes input frame `index` (0-based, in presentation order) the next frame next()
  /// returns, frame-exactly: the frame's timestamp is found from the packets (no
  /// decoding), then the demuxer seeks to the keyframe before it and the decoder
  /// discards what precedes it (so B-frames, open GOPs and a non-zero start time are
  /// handled). Unseekable inputs (pipes) and packets without timestamps decode from
  /// the start and discard `index` frames. Call before the first next(). Throws
  /// interp::Error when the video has no frame `index`. `known_pts`: that frame's timestamp
  /// where the caller already read it (presentation_times(), which counts frames the
  /// same way): the packets are then not walked a second time to find it.
  void seek_to_frame(int64_t index, std::optional<int64_t> known_pts = std::nullopt);

  /// Stops handing out audio/subtitle packets (a piece of the video has no use for
  /// the whole soundtrack): streams() no longer offers them.
  void drop_other_streams();

  /// What full swing (full_swing.h) this video's frames would be read with; none for
  /// RGB or full-range sources.
  std::optional<FullSwing> full_swing() const;
  /// Reads frames with full swing when it is `swing` (what the output writes back),
  /// stamping it on their Images; others as the picture's RGB. Call before next().
  void read_full_swing(const FullSwing& swing);

  /// The video's properties and the streams whose packets next() hands out, for an
  /// output to copy (see source_streams.h).
  SourceStreams streams() const;

 private:
  void open_streams();  ///< everything after the demuxer is open
  /// An input that cannot be read twice: its first packets, held for next() (at most
  /// kRateSamplePackets video packets, kReadAheadBytes in all), and their video timestamps.
  std::vector<int64_t> read_ahead();
  /// After seek_to_frame(): false for a decoded frame that comes before the one asked for.
  bool keep_after_seek();
  void seek_before(int64_t pts);  ///< to the keyframe at or before pts, decoder flushed
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace interp::io
