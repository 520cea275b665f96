// The rate a video is timed on where its container's two rates disagree (io/frame_rate.h):
// a phone clip that halves its rate in the dark comes out at twice its full rate, every
// frame and the audio in time, and progress expects the slots it spans.
#include "cli_support.h"

#include <filesystem>

namespace interp::test {
namespace {

/// The first value of `key` in a --progress feed (what the job expected before it ran).
std::string first_value(const std::string& feed, const std::string& key) {
  const auto at = feed.find("\n" + key + "=");
  if (at == std::string::npos) return "";
  const auto start = at + key.size() + 2;
  return feed.substr(start, feed.find('\n', start) - start);
}

class FrameRateCli : public ::testing::Test {
 protected:
  void SetUp() override {
    INTERP_REQUIRE_SHARED(model, "golden/rife_v4.6_random.pkl");
    (void)model;
  }
  TempDir dir;
};

/// A phone clip: 30 fps for 10 frames, then 15 (every other slot) up to slot 38, 25
/// frames over 39 slots, with audio. The MP4 states r_frame_rate 30 and an average of
/// 19.2 fps.
void make_phone_clip(const std::string& path) {
  const std::string make = "ffmpeg -v error -f lavfi -i testsrc2=size=64x48:rate=30:duration=1.3 -f lavfi -i "
                           "sine=frequency=440:sample_rate=48000 -vf "
                           "\"select='lt(n\\,10)+not(mod(n\\,2))'\" -fps_mode passthrough -pix_fmt yuv420p "
                           "-c:v libx264 -c:a aac -shortest " + quote(path);
  ASSERT_EQ(run(make).code, 0) << make;
  ASSERT_EQ(probe(path, "v:0", "nb_frames"), "25");
  ASSERT_NE(probe(path, "v:0", "avg_frame_rate"), "30/1");
}

TEST_F(FrameRateCli, APhoneClipHalvingItsRateInTheDarkComesOutAtTwiceItsFullRate) {
  const std::string in = dir / "phone.mp4", out = dir / "out.mp4";
  ASSERT_NO_FATAL_FAILURE(make_phone_clip(in));

  auto r = run(quote(INTERP_BINARY) + " --model " + quote(test_model()) + " --progress - " + quote(in) + " " +
               quote(out));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("14 made from the frames around them, 0 held"), std::string::npos) << r.err;
  EXPECT_EQ(probe(out, "v:0", "r_frame_rate"), "60/1");
  EXPECT_EQ(probe(out, "v:0", "nb_read_frames", true), "78");  // 39 slots x 2
  EXPECT_NEAR(probe_duration(out, "v:0"), probe_duration(in, "v:0"), 1.0 / 30);
  EXPECT_NEAR(probe_duration(out, "a:0"), probe_duration(in, "a:0"), 1e-3);
  // Progress expected the slots (its duration at 30 fps), not the 25 frames' 50 outputs.
  EXPECT_NEAR(std::stoll(first_value(r.out, "total")), 78, 4) << r.out;
}

TEST_F(FrameRateCli, APhoneClipFromAPipeIsTimedOnItsOpeningFrames) {
  // Piped as Matroska, the probe states one average twice: both "agree", and the clip
  // came out at 1500/37 fps with 54 frames. A pipe cannot be read twice: its first
  // packets are held, their timestamps read, and handed to the decoder.
  const std::string in = dir / "phone.mp4", out = dir / "out.mkv";
  ASSERT_NO_FATAL_FAILURE(make_phone_clip(in));
  auto r = run("( ffmpeg -v error -i " + quote(in) + " -c copy -f matroska - | " +
               interp_cmd("--model " + quote(test_model()) + " --codec ffv1 - " + quote(out)) + " )");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(out, "v:0", "r_frame_rate"), "60/1");
  EXPECT_EQ(probe(out, "v:0", "nb_read_frames", true), "78");
  EXPECT_NEAR(probe_duration(out, "v:0"), probe_duration(in, "v:0"), 1.0 / 30);
}

TEST_F(FrameRateCli, ARateThatVariesSmoothlyIsTimedOnTheFastestItKeepsUp) {
  // 30 frames at 30 fps, then 30 whose durations drift between 34 and 66 ms, timed in
  // 1/90000 s: no grid holds them, and the average is about 25 fps (before: 50.6 fps out,
  // the first 30 frames ever later).
  const std::string in = dir / "dusk.mp4", out = dir / "out.mkv";
  const std::string make = "ffmpeg -v error -f lavfi -i testsrc2=size=64x48:rate=30 -frames:v 60 -vf "
                           "\"settb=1/90000,setpts='st(0\\,if(eq(N\\,0)\\,0\\,ld(0)+if(lt(N\\,31)\\,1/30\\,"
                           "0.034+0.032*random(1))))/TB'\" -fps_mode passthrough -enc_time_base:v 1:90000 "
                           "-pix_fmt yuv420p -c:v libx264 -video_track_timescale 90000 " + quote(in);
  ASSERT_EQ(run(make).code, 0) << make;
  ASSERT_NE(probe(in, "v:0", "avg_frame_rate"), "30/1");
  auto r = run(interp_cmd("--model " + quote(test_model()) + " --codec ffv1 " + quote(in) + " " + quote(out)));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(out, "v:0", "r_frame_rate"), "60/1");
  EXPECT_NEAR(probe_duration(out, "v:0"), probe_duration(in, "v:0"), 1.0 / 30);
}

/// 41 s at 15 fps (615 frames), then 4 s at 30: the first 600 frames alone say 15 fps,
/// on whose grid each of the last 120 frames would take the next slot (the video 4 s
/// longer than its audio by the end). A still picture: every pair is copied, no model runs.
void make_dusk_clip(const std::string& path) {
  const std::string make = "ffmpeg -v error -f lavfi -i color=c=gray:size=64x48:rate=30:duration=45 -vf "
                           "\"select='if(lt(t\\,41)\\,not(mod(n\\,2))\\,1)'\" -fps_mode passthrough "
                           "-pix_fmt yuv420p -c:v libx264 " + quote(path);
  ASSERT_EQ(run(make).code, 0) << make;
  ASSERT_EQ(probe(path, "v:0", "nb_frames"), "735");
}

TEST_F(FrameRateCli, AClipThatReachesItsFullRateOnlyAfterItsFirst600FramesKeepsItsTime) {
  const std::string in = dir / "dusk.mp4", out = dir / "out.mkv";
  ASSERT_NO_FATAL_FAILURE(make_dusk_clip(in));
  auto r = run(interp_cmd("--model " + quote(test_model()) + " --codec ffv1 " + quote(in) + " " + quote(out)));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(out, "v:0", "r_frame_rate"), "60/1");
  EXPECT_NEAR(probe_duration(out, "v:0"), probe_duration(in, "v:0"), 1.0 / 30);
}

TEST_F(FrameRateCli, APipeWhoseRateRisesAfterItsOpeningDropsFramesRatherThanFallBehind) {
  // From a pipe only the first 600 frames are read ahead: timed on 15 fps, the last 4 s
  // at 30 would have run 4 s long (before: 49 s of video for 45). Each frame more than
  // a slot late is dropped, said, and the rest keep their time.
  const std::string in = dir / "dusk.mp4", out = dir / "out.mkv";
  ASSERT_NO_FATAL_FAILURE(make_dusk_clip(in));
  auto r = run("( ffmpeg -v error -i " + quote(in) + " -c copy -f matroska - | " + quote(INTERP_BINARY) +
               " --model " + quote(test_model()) + " --codec ffv1 - " + quote(out) + " )");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(out, "v:0", "r_frame_rate"), "30/1");
  EXPECT_NEAR(probe_duration(out, "v:0"), probe_duration(in, "v:0"), 2.0 / 15);
  // About every other frame of the last 4 s (Matroska's milliseconds round some in).
  const auto said = r.err.find(" frame(s) came faster than the rate it was timed on");
  ASSERT_NE(said, std::string::npos) << r.err;
  const int64_t dropped = std::stoll(r.err.substr(r.err.rfind("-: ", said) + 3));
  EXPECT_NEAR(dropped, 60, 3);
  EXPECT_EQ(probe(out, "v:0", "nb_read_frames", true), std::to_string(2 * (735 - dropped)));
  // A piece of a pipe counts frames, not slots: a dropped one would shift every piece
  // after it, so it is refused, as where timestamps skip (JoinChecks).
  const std::string piece = dir / "piece.mkv";
  r = run("( ffmpeg -v error -i " + quote(in) + " -c copy -f matroska - | " +
          interp_cmd("--model " + quote(test_model()) + " --codec ffv1 --range 640:700 - " + quote(piece)) + " )");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("comes faster than its rate (a variable frame rate); pieces (--range) of standard input "
                       "need an even one: pass the file"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(piece));
}

TEST_F(FrameRateCli, AMatroskaClipWithoutAFrameCountStillHasAProgressTotal) {
  const std::string in = dir / "in.mkv", out = dir / "out.mkv";
  make_clip(in, 64, 48, "25", 20, "-c:v ffv1", /*audio=*/true);
  ASSERT_EQ(probe(in, "v:0", "nb_frames"), "N/A");
  auto r = run(quote(INTERP_BINARY) + " --model " + quote(test_model()) + " --progress - --codec ffv1 " +
               quote(in) + " " + quote(out));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(out, "v:0", "nb_read_frames", true), "40");
  EXPECT_NEAR(std::stoll(first_value(r.out, "total")), 40, 2) << r.out;
}

}  // namespace
}  // namespace interp::test
