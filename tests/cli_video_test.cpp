// Video -> video through the interp binary: frame counts, exact rates, durations,
// audio copy, scene cuts, 10-bit, odd sizes.
#include "cli_support.h"
#include "interp/io/image_file.h"

#include <algorithm>

namespace interp::test {
namespace {

class VideoCli : public ::testing::Test {
 protected:
  void SetUp() override {
    INTERP_REQUIRE_SHARED(model, "golden/rife_v4.6_random.pkl");
    (void)model;
  }
  TempDir dir;
};

TEST_F(VideoCli, ExpOneDoublesFramesRateAndKeepsAudioInSync) {
  const std::string in = dir / "in.mp4", out = dir / "out.mp4";
  make_clip(in, 320, 240, "24000/1001", 24, "-pix_fmt yuv420p -c:v libx264", /*audio=*/true);
  auto r = run(interp_cmd("--model " + quote(test_model()) + " --exp=1 " + quote(in) + " " + quote(out)));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(out, "v:0", "nb_read_frames", true), "48");
  EXPECT_EQ(probe(out, "v:0", "r_frame_rate"), "48000/1001");
  EXPECT_EQ(probe(out, "a:0", "codec_name"), "aac");
  const double frame = 1001.0 / 48000.0;
  EXPECT_NEAR(probe_duration(out, "v:0"), probe_duration(in, "v:0"), frame);
  EXPECT_NEAR(probe_duration(out, "a:0"), probe_duration(in, "a:0"), 1e-3);  // copied, not re-encoded
  EXPECT_EQ(entries(dir.path().string()), (std::vector<std::string>{"in.mp4", "out.mp4"}));
}

TEST_F(VideoCli, AVariableFrameRateKeepsEveryFrameAndTheAudioInTime) {
  // 12 frames at 25 fps; 2 missing after the 3rd (a camera dropped them): the pair
  // around them fills the gap; 4 missing after the 7th (a screen recorder sent nothing
  // while nothing changed): a pause, which the 7th holds.
  const std::string in = dir / "vfr.mkv", out = dir / "out.mkv";
  make_clip(in, 64, 48, "25", 12,
            "-vf \"setpts=PTS+2*gte(N\\,3)+4*gte(N\\,7)\" -fps_mode passthrough -c:v ffv1", true);
  // No still pairs: what is held is copied of its own accord, the rest is made.
  auto r = run(quote(INTERP_BINARY) + " --model " + quote(test_model()) + " --static-threshold 0 --codec ffv1 " +
               quote(in) + " " + quote(out));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("vfr.mkv: variable frame rate: 6 slot(s) of its rate had no frame of their own: 2 made from "
                       "the frames around them, 4 held by the frame before"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(probe(out, "v:0", "nb_read_frames", true), "36");  // (12 + 6) x 2
  EXPECT_NEAR(probe_duration(out, "v:0"), probe_duration(in, "v:0"), 0.021);
  EXPECT_NEAR(probe_duration(out, "a:0"), probe_duration(in, "a:0"), 1e-3);
  // Every frame as stored (ffmpeg's default would pad the video to the audio's end).
  const std::string as_stored = dir / "v.mkv";
  const std::string passthrough = " -fps_mode passthrough -c:v ffv1 -an ";
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(out) + passthrough + quote(as_stored)).code, 0);
  const auto frames = gray_frames(as_stored, 64, 48);
  ASSERT_EQ(frames.size(), 36u);
  for (int i = 5; i <= 9; ++i)  // sixths of the way from the 3rd (output 4) to the 4th (output 10)
    EXPECT_TRUE(frames[i] != frames[4] && frames[i] != frames[10] && frames[i] != frames[i - 1]) << i;
  for (int i = 17; i <= 24; ++i) EXPECT_TRUE(frames[i] == frames[16]) << i;  // the 7th, on screen until the 8th
  EXPECT_TRUE(frames[15] != frames[16]);  // made on the way to the 7th
  EXPECT_TRUE(frames[25] != frames[16]);  // and on the way to the 8th
}

TEST_F(VideoCli, BigBuckBunnyExpTwoGivesFourTimesTheFrames) {
  INTERP_REQUIRE_SHARED(clip, "clips/bigbuckbunny.mp4");
  const std::string in = dir / "bbb.mp4", out = dir / "bbb4x.mkv";
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(clip) + " -frames:v 6 -c copy " + quote(in)).code, 0);
  auto r = run(interp_cmd("--model " + quote(test_model()) + " --exp=2 " + quote(in) + " " + quote(out)));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(out, "v:0", "nb_read_frames", true), "24");
  EXPECT_EQ(probe(out, "v:0", "r_frame_rate"), "100/1");
  EXPECT_EQ(probe(out, "v:0", "width"), "1280");
}

// --batch groups forward passes across pairs; every frame is the one batch 1 makes, with
// the trained default model on real footage. Which frame goes where is exact (the slot
// loop test shows it with an exact model); the pixels may differ slightly, because oneDNN
// picks its convolution kernels by batch size: in fp32 (rounding ~1e-6) by one level in a
// few samples; in bf16, where features are rounded to 8 mantissa bits between layers, a
// different summation order flips some of those roundings (measured: at most 2 levels,
// under 0.8% of samples).
TEST_F(VideoCli, BatchAcrossPairsWritesTheFramesOfBatchOne) {
  INTERP_REQUIRE_MODEL(installed, "rife");
  INTERP_REQUIRE_SHARED(clip, "clips/bigbuckbunny.mp4");
  const std::string in = dir / "bbb.mkv";
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(clip) + " -frames:v 6 -vf scale=320:180 -c:v ffv1 " + quote(in)).code, 0);
  struct Bound {
    std::string precision;
    int levels;               ///< largest difference of a sample
    size_t differing_per_1e4; ///< samples that differ, per 10000
  };
  for (const Bound& bound : {Bound{"fp32", 1, 1}, Bound{"bf16", 3, 100}}) {
    for (const std::string rate : {"--exp=1", "--exp=2"}) {
      const std::string what = bound.precision + " " + rate;
      std::vector<std::string> folders;
      for (const std::string batch : {"1", "4"}) {
        folders.push_back(dir / (bound.precision + "b" + batch + rate.substr(6)));
        auto r = run(interp_cmd(rate + " --precision " + bound.precision + " --batch " + batch + " " + quote(in) + " " +
                                quote(folders.back() + "/")));
        ASSERT_EQ(r.code, 0) << r.err;
      }
      const auto names = entries(folders[0]);
      ASSERT_EQ(names, entries(folders[1]));
      ASSERT_EQ(names.size(), rate == "--exp=1" ? 13u : 25u);  // frames + the .interp-output marker
      for (const auto& name : names) {
        if (name[0] == '.') continue;
        const auto a = io::read_image(folders[0] + "/" + name), b = io::read_image(folders[1] + "/" + name);
        ASSERT_EQ(a.data.size(), b.data.size());
        size_t differing = 0;
        int largest = 0;
        for (size_t i = 0; i < a.data.size(); ++i) {
          largest = std::max(largest, std::abs(int(a.data[i]) - int(b.data[i])));
          differing += a.data[i] != b.data[i];
        }
        EXPECT_LE(largest, bound.levels) << what << " " << name;
        EXPECT_LE(differing, a.data.size() * bound.differing_per_1e4 / 10000) << what << " " << name;
      }
    }
  }
}

TEST_F(VideoCli, MultiThreeAndFpsTargetUseExactRates) {
  const std::string in = dir / "in.mp4";
  make_clip(in, 160, 96, "25", 10);
  auto r = run(interp_cmd("--model " + quote(test_model()) + " --multi=3 " + quote(in) + " " + quote(dir / "m3.mp4")));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(dir / "m3.mp4", "v:0", "nb_read_frames", true), "30");
  EXPECT_EQ(probe(dir / "m3.mp4", "v:0", "r_frame_rate"), "75/1");
  r = run(interp_cmd("--model " + quote(test_model()) + " --fps=60 " + quote(in) + " " + quote(dir / "f60.mp4")));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(dir / "f60.mp4", "v:0", "r_frame_rate"), "60/1");
  EXPECT_EQ(probe(dir / "f60.mp4", "v:0", "nb_read_frames", true), "24");  // ceil(10 * 60/25)
}

TEST_F(VideoCli, TenBitStaysTenBit) {
  const std::string in = dir / "in10.mkv", out = dir / "out10.mkv";
  make_clip(in, 192, 128, "30", 6, "-pix_fmt yuv420p10le -c:v libx264");
  auto r = run(interp_cmd("--model " + quote(test_model()) + " --exp=1 " + quote(in) + " " + quote(out)));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(out, "v:0", "pix_fmt"), "yuv420p10le");
  EXPECT_EQ(probe(out, "v:0", "nb_read_frames", true), "12");
}

TEST_F(VideoCli, OddFrameSizeWorks) {
  const std::string in = dir / "odd.mkv", out = dir / "odd2x.mkv";
  make_clip(in, 320, 240, "24", 5, "-vf scale=333:201 -pix_fmt yuv444p -c:v libx264");
  auto r = run(interp_cmd("--model " + quote(test_model()) + " --exp=1 " + quote(in) + " " + quote(out)));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(out, "v:0", "width"), "333");
  EXPECT_EQ(probe(out, "v:0", "height"), "201");
  EXPECT_EQ(probe(out, "v:0", "nb_read_frames", true), "10");
}

TEST_F(VideoCli, SceneCutsAreRepeatedNotBlended) {
  INTERP_REQUIRE_SHARED(clip, "clips/scene_cuts.mp4");
  // Frames 20..39 of the clip hold the cut between its frames 29 and 30.
  const std::string in = dir / "cut.mkv", out = dir / "cut2x.mkv";
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(clip) + " -vf trim=start_frame=20:end_frame=40,setpts=PTS-STARTPTS "
                "-c:v ffv1 " + quote(in)).code, 0);
  // The network's frames: random weights' flow explains nothing, so the fallback would
  // take every pair near its blend.
  auto r = run(interp_cmd("--fallback off --model " + quote(test_model()) + " --exp=1 --codec ffv1 " + quote(in) + " " +
                          quote(out)));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto frames = gray_frames(out, 1280, 272);
  ASSERT_EQ(frames.size(), 40u);
  // Pair 9 (clip frames 29|30) is the cut: its in-between frame repeats frame 9.
  EXPECT_LT(mean_abs_diff(frames[19], frames[18]), 1.0);
  // An ordinary pair is interpolated (random weights: clearly not a copy).
  EXPECT_GT(mean_abs_diff(frames[5], frames[4]), 1.0);
  // With detection off, the cut pair is blended like any other.
  r = run(interp_cmd("-y --scene-threshold 0 --model " + quote(test_model()) + " --exp=1 --codec ffv1 " + quote(in) +
                     " " + quote(out)));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_GT(mean_abs_diff(gray_frames(out, 1280, 272)[19], frames[18]), 1.0);
}

TEST_F(VideoCli, RotationAndSubtitlesAreKept) {
  make_clip(dir / "plain.mp4", 128, 96, "25", 6, "-c:v libx264 -pix_fmt yuv420p");
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(dir / "plain.mp4") + " -c copy -metadata:s:v:0 rotate=90 " +
                quote(dir / "rot.mp4")).code, 0);
  std::ofstream(dir / "s.srt") << "1\n00:00:00,000 --> 00:00:00,200\nhello\n";
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(dir / "rot.mp4") + " -i " + quote(dir / "s.srt") +
                " -map 0 -map 1 -c copy -c:s srt " + quote(dir / "sub.mkv")).code, 0);
  auto r = run(interp_cmd("--model " + quote(test_model()) + " --exp=1 " + quote(dir / "rot.mp4") + " " +
                          quote(dir / "rot2x.mp4")));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(run("ffprobe -v error -show_streams " + quote(dir / "rot2x.mp4")).out.find("rotation=90"), std::string::npos);
  r = run(interp_cmd("--model " + quote(test_model()) + " --exp=1 " + quote(dir / "sub.mkv") + " " +
                     quote(dir / "sub2x.mkv")));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(dir / "sub2x.mkv", "s:0", "codec_name"), "subrip");
}

// SubRip cannot go into MP4: it is converted to mov_text (text and timing kept) and the
// log says so; where no text codec fits (AVI) the loss is a warning at the default level.
TEST_F(VideoCli, SubtitlesAreConvertedForTheContainerOrTheLossIsSaid) {
  make_clip(dir / "plain.mkv", 128, 96, "25", 10, "-c:v libx264 -pix_fmt yuv420p");
  std::ofstream(dir / "s.srt") << "1\n00:00:00,120 --> 00:00:00,320\nhello there\n";
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(dir / "plain.mkv") + " -i " + quote(dir / "s.srt") +
                " -map 0 -map 1 -c copy -c:s srt " + quote(dir / "sub.mkv")).code, 0);
  const std::string base = quote(INTERP_BINARY) + " --model " + quote(test_model()) + " --exp=1 " + quote(dir / "sub.mkv");
  auto r = run(base + " " + quote(dir / "out.mp4"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("stream 1 (subrip) converted to mov_text for mp4"), std::string::npos) << r.err;
  EXPECT_EQ(probe(dir / "out.mp4", "s:0", "codec_name"), "mov_text");
  const auto srt = run("ffmpeg -v error -i " + quote(dir / "out.mp4") + " -map 0:s:0 -f srt -").out;
  EXPECT_NE(srt.find("00:00:00,120 --> 00:00:00,320"), std::string::npos) << srt;
  EXPECT_NE(srt.find("hello there"), std::string::npos) << srt;

  r = run(base + " --codec mpeg4 " + quote(dir / "out.avi"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("stream 1 (subrip) cannot be stored in avi; dropped"), std::string::npos) << r.err;
}

TEST_F(VideoCli, FilmRecursesAndRefusesNonDyadicFactors) {
  INTERP_REQUIRE_SHARED(film, "golden/film_small_random.pt");
  const std::string in = dir / "in.mp4";
  make_clip(in, 128, 96, "25", 4);
  auto r = run(interp_cmd("--model " + quote(film) + " --exp=2 " + quote(in) + " " + quote(dir / "f4.mp4")));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(dir / "f4.mp4", "v:0", "nb_read_frames", true), "16");
  r = run(interp_cmd("--model " + quote(film) + " --multi=3 " + quote(in) + " " + quote(dir / "f3.mp4")));
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("power of two"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "f3.mp4"));
}

// Limited-range video may store codes below black (16) and above white (235); the kept
// frames of a video-to-video run come back as they were (io/full_swing.h), where a trip
// through the picture's RGB clipped them. To pictures, the frames are the picture's RGB.
TEST_F(VideoCli, CodesBelowBlackAndAboveWhiteSurviveAVideoRun) {
  const std::string in = dir / "in.mkv", out = dir / "out.mkv";
  make_clip(in, 160, 96, "12", 4,
            "-vf 'lutyuv=y=clip((val-128)*1.4+128\\,0\\,255):u=128:v=128' -pix_fmt yuv420p -color_range tv -c:v ffv1");
  const auto luma_planes = [](const std::string& file) {
    const std::string frames = run("ffmpeg -v error -i " + quote(file) + " -f rawvideo -pix_fmt yuv420p -").out;
    std::vector<std::string> planes;
    const size_t size = 160 * 96, frame = size * 3 / 2;
    for (size_t off = 0; off + frame <= frames.size(); off += frame) planes.push_back(frames.substr(off, size));
    return planes;
  };
  const auto source = luma_planes(in);
  ASSERT_EQ(source.size(), 4u);
  const auto [lowest, highest] = std::minmax_element(source[0].begin(), source[0].end(), [](char x, char y) {
    return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
  });
  ASSERT_LT(static_cast<unsigned char>(*lowest), 16);
  ASSERT_GT(static_cast<unsigned char>(*highest), 235);
  auto r = run(interp_cmd("--model " + quote(test_model()) + " --exp=1 --codec ffv1 " + quote(in) + " " + quote(out)));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto made = luma_planes(out);
  ASSERT_EQ(made.size(), 8u);
  for (size_t k = 0; k < source.size(); ++k) EXPECT_EQ(mean_abs_diff(made[2 * k], source[k]), 0.0) << "frame " << k;
  r = run(interp_cmd("--model " + quote(test_model()) + " --exp=1 " + quote(in) + " " + quote(dir / "frames")));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto picture = gray_frames(dir / "frames/0000.png", 160, 96), decoded = gray_frames(in, 160, 96);
  ASSERT_EQ(picture.size(), 1u);
  EXPECT_LT(mean_abs_diff(picture[0], decoded[0]), 1.0) << "ffmpeg's picture of the frame";
}

}  // namespace
}  // namespace interp::test

namespace interp::test {
namespace {

TEST(Interrupt, CtrlCLeavesNoOutput) {
  INTERP_REQUIRE_SHARED(model, "golden/rife_v4.6_random.pkl");
  INTERP_REQUIRE_SHARED(clip, "clips/bigbuckbunny.mp4");
  TempDir dir, scratch;
  // Ctrl-C once the progress feed (a FIFO read here) says a frame was written: the job
  // is then surely under way, however fast the machine. The feed's last block must say
  // it was interrupted; a clip that ended first would say ok and fail this test.
  const std::string feed = scratch / "feed";
  const std::string cmd = "mkfifo " + quote(feed) + "; " + quote(INTERP_BINARY) + " -q --model " + quote(model) +
                          " --exp=1 --progress " + quote(feed) + " " + quote(clip) + " " + quote(dir / "out.mp4") +
                          " & pid=$!; sent=0; while IFS= read -r line; do echo \"$line\" >> " +
                          quote(scratch / "seen") + "; case $line in frame=[1-9]*) [ $sent = 0 ] && kill -INT $pid; "
                          "sent=1;; esac; done < " + quote(feed) + "; wait $pid";
  auto r = run("(" + cmd + ")");  // one subshell, so its stderr is captured whole
  EXPECT_EQ(r.code, 130) << r.err;
  EXPECT_NE(r.err.find("interrupted"), std::string::npos) << r.err;
  EXPECT_NE(slurp(scratch / "seen").find("status=interrupted"), std::string::npos) << slurp(scratch / "seen");
  EXPECT_TRUE(entries(dir.path().string()).empty());  // neither out.mp4 nor a partial file
}

}  // namespace
}  // namespace interp::test
