// PendingOutput: what may be written, what -y may replace, and the atomic move into place.
#include "error_of.h"
#include "interp/base/error.h"
#include "interp/io/output_file.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

namespace interp::test {
namespace {
namespace fs = std::filesystem;
using io::PendingOutput;
using Kind = io::PendingOutput::Kind;

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }
std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}
std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

/// Runs the test body from inside `dir`, restoring the working folder afterwards.
class InFolder {
 public:
  explicit InFolder(const fs::path& dir) : previous_(fs::current_path()) { fs::current_path(dir); }
  ~InFolder() { fs::current_path(previous_); }

 private:
  fs::path previous_;
};

TEST(PendingOutput, FileIsMovedIntoPlaceOnlyOnCommit) {
  TempDir dir;
  {
    PendingOutput out(dir / "o.mp4", Kind::File, false, {});
    EXPECT_EQ(fs::path(out.temp_path()).extension(), ".mp4");
    write_text(out.temp_path(), "result");
    EXPECT_FALSE(fs::exists(dir / "o.mp4"));
    out.commit();
  }
  EXPECT_EQ(read_text(dir / "o.mp4"), "result");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"o.mp4"});
}

TEST(PendingOutput, UncommittedResultLeavesNothing) {
  TempDir dir;
  {
    PendingOutput file(dir / "o.mp4", Kind::File, false, {});
    write_text(file.temp_path(), "half");
    PendingOutput folder(dir / "frames", Kind::Folder, false, {});
    write_text(folder.temp_path() + "/0000.png", "half");
  }
  EXPECT_TRUE(names_in(dir.path()).empty());
}

TEST(PendingOutput, RemovePendingOutputsTakesEveryTemporaryPath) {
  TempDir dir;
  PendingOutput file(dir / "o.mp4", Kind::File, false, {});
  write_text(file.temp_path(), "half");
  PendingOutput folder(dir / "frames", Kind::Folder, false, {});
  write_text(folder.temp_path() + "/0000.png", "half");
  io::remove_pending_outputs();
  EXPECT_TRUE(names_in(dir.path()).empty());
}

TEST(PendingOutput, TargetThatAppearedDuringTheRunIsKeptWithoutOverwrite) {
  TempDir dir;
  PendingOutput file(dir / "o.mp4", Kind::File, false, {});
  write_text(file.temp_path(), "result");
  write_text(dir / "o.mp4", "precious");
  EXPECT_NE(error_of([&] { file.commit(); }).find("appeared while interp was running"), std::string::npos);
  EXPECT_EQ(read_text(dir / "o.mp4"), "precious");

  PendingOutput folder(dir / "frames", Kind::Folder, false, {});
  fs::create_directory(dir / "frames");
  write_text(dir / "frames/mine.txt", "precious");
  EXPECT_NE(error_of([&] { folder.commit(); }).find("appeared"), std::string::npos);
  EXPECT_EQ(read_text(dir / "frames/mine.txt"), "precious");
}

TEST(PendingOutput, OverwriteReplacesOnlyAFolderInterpWrote) {
  TempDir dir;
  for (int run = 0; run < 2; ++run) {  // the second run replaces the first one's folder
    PendingOutput folder(dir / "frames/", Kind::Folder, run > 0, {});
    EXPECT_EQ(folder.target(), dir / "frames");
    write_text(folder.temp_path() + "/0000.png", "run " + std::to_string(run));
    folder.commit();
  }
  EXPECT_EQ(read_text(dir / "frames/0000.png"), "run 1");
  EXPECT_EQ(names_in(dir / "frames"), (std::vector<std::string>{io::kOutputFolderMarker, "0000.png"}));
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"frames"});

  write_text(dir / "frames/notes.txt", "mine");  // a user file inside: never replaced
  EXPECT_NE(error_of([&] { PendingOutput::check(dir / "frames", Kind::Folder, true, {}); }).find("holds notes.txt"),
            std::string::npos);

  fs::create_directory(dir / "user");  // numbered frames but no marker: not interp's
  write_text(dir / "user/0000.png", "mine");
  EXPECT_NE(error_of([&] { PendingOutput::check(dir / "user", Kind::Folder, true, {}); }).find("did not write"),
            std::string::npos);

  write_text(dir / "plain", "mine");  // a file where a folder is asked for
  EXPECT_NE(error_of([&] { PendingOutput::check(dir / "plain", Kind::Folder, true, {}); }).find("is a file"),
            std::string::npos);
}

TEST(PendingOutput, FolderThatChangedBeforeTheSwapIsKept) {
  TempDir dir;
  {
    PendingOutput first(dir / "frames", Kind::Folder, false, {});
    first.commit();
  }
  PendingOutput second(dir / "frames", Kind::Folder, true, {});  // allowed now...
  write_text(second.temp_path() + "/0000.png", "new");
  write_text(dir / "frames/notes.txt", "mine");  // ...but a user file arrives before commit
  EXPECT_NE(error_of([&] { second.commit(); }).find("holds notes.txt"), std::string::npos);
  EXPECT_EQ(read_text(dir / "frames/notes.txt"), "mine");
}

TEST(PendingOutput, NeverTargetsTheInputsOrTheFoldersAboveThem) {
  TempDir dir;
  fs::create_directories(dir / "A/sub");
  write_text(dir / "A/a.png", "input");
  const std::vector<std::string> inputs{dir / "A/a.png"};
  for (const std::string& target : std::vector<std::string>{dir / "A", dir / "A/", dir.path().string(), "/"})
    EXPECT_NE(error_of([&] { PendingOutput::check(target, Kind::Folder, true, inputs); }), "") << target;
  EXPECT_NE(error_of([&] { PendingOutput::check(dir / "A/a.png", Kind::File, true, inputs); }).find("is the input"),
            std::string::npos);
  // Through another spelling of the same path.
  EXPECT_NE(error_of([&] { PendingOutput::check(dir / "A/sub/../a.png", Kind::File, true, inputs); }), "");
  EXPECT_EQ(error_of([&] { PendingOutput::check(dir / "A/out", Kind::Folder, true, inputs); }), "");
}

TEST(PendingOutput, NeverTargetsTheCurrentFolderOrItsParents) {
  TempDir dir;
  fs::create_directories(dir / "work/deeper");
  InFolder cwd(dir / "work/deeper");
  for (const std::string& target : std::vector<std::string>{".", "./", "..", "../", "../..", dir / "work"})
    EXPECT_NE(error_of([&] { PendingOutput::check(target, Kind::Folder, true, {}); }), "") << target;
  EXPECT_EQ(error_of([&] { PendingOutput::check("out", Kind::Folder, true, {}); }), "");
}

TEST(PendingOutput, ExistingTargetNeedsOverwrite) {
  TempDir dir;
  write_text(dir / "o.mp4", "precious");
  EXPECT_NE(error_of([&] { PendingOutput::check(dir / "o.mp4", Kind::File, false, {}); }).find("already exists"),
            std::string::npos);
  {
    PendingOutput out(dir / "o.mp4", Kind::File, true, {});
    write_text(out.temp_path(), "new");
    out.commit();
  }
  EXPECT_EQ(read_text(dir / "o.mp4"), "new");
}

}  // namespace
}  // namespace interp::test
