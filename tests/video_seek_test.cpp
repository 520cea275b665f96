// A piece's frame-exact start when its timestamp is already known: a video piece reads
// every timestamp up to its end to place itself (io::presentation_times), and its seek
// takes the start's from them instead of walking the file's packets a second time.
#include "cli_support.h"
#include "interp/io/video_reader.h"
#include "interp/pipeline/job.h"

namespace interp::test {
namespace {

using namespace interp::pipeline;

io::VideoFrame first_frame(io::VideoReader& reader) {
  for (;;) {
    auto item = reader.next();
    if (auto* frame = std::get_if<io::VideoFrame>(&item)) return std::move(*frame);
    if (std::holds_alternative<io::EndOfStream>(item)) throw std::runtime_error("no frame");
  }
}

TEST(VideoSeek, AStartWhoseTimestampIsKnownIsTheFrameTheWalkFinds) {
  TempDir dir;
  const std::string clip = dir / "b.mp4";
  // B-frames and short GOPs: the file's order is not the order frames are shown in.
  make_clip(clip, 64, 48, "25", 30, "-c:v libx264 -bf 3 -g 7 -pix_fmt yuv420p");
  const auto times = io::presentation_times(clip, 0);
  ASSERT_EQ(times.size(), 30u);
  for (int64_t k : {1, 6, 7, 13, 29}) {
    io::VideoReader walked(clip), told(clip);
    walked.seek_to_frame(k);
    told.seek_to_frame(k, *times[k]);
    const auto a = first_frame(walked), b = first_frame(told);
    EXPECT_EQ(a.pts, *times[k]) << k;
    EXPECT_EQ(b.pts, a.pts) << k;
    EXPECT_EQ(b.image.data, a.image.data) << k;
  }
  // The timestamp given is what the seek goes by: the packets are not walked again.
  io::VideoReader told(clip);
  told.seek_to_frame(3, *times[20]);
  EXPECT_EQ(first_frame(told).pts, *times[20]);
}

TEST(VideoSeek, APieceTakesItsStartsTimestampOnlyWhereEveryFrameBeforeItIsTimed) {
  const FrameRange range{10, 20};
  const int64_t start = piece_source_start(range);
  ASSERT_GT(start, 0);
  std::vector<std::optional<int64_t>> times;
  for (int64_t i = 0; i <= range.end; ++i) times.emplace_back(i * 512);
  EXPECT_EQ(piece_start(range, times).frame, start);
  EXPECT_EQ(piece_start(range, times).pts, start * 512);
  // None read (a pipe, pictures) or too few: the seek finds it itself.
  EXPECT_EQ(piece_start(range, {}).pts, std::nullopt);
  EXPECT_EQ(piece_start(range, {times.begin(), times.begin() + start}).pts, std::nullopt);
  // An untimed frame before the start: counted where it was read, so not trusted.
  auto untimed = times;
  untimed[start - 1].reset();
  EXPECT_EQ(piece_start(range, untimed).pts, std::nullopt);
  EXPECT_EQ(piece_start(range, untimed).frame, start);
}

}  // namespace
}  // namespace interp::test
