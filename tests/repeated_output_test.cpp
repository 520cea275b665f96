// RepeatedOutput (the training checkpoint): each version replaces only the file this run
// owns; one that appeared or was swapped in meanwhile is kept. And the gate's rule for
// device nodes, FIFOs and sockets, shared by every output.
#include "error_of.h"
#include "interp/io/output_file.h"
#include "interp/io/repeated_output.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>

namespace interp::test {
namespace {
namespace fs = std::filesystem;
using io::PendingOutput;
using io::RepeatedOutput;

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}
auto writing(const std::string& text) {
  return [text](const std::string& temp) { std::ofstream(temp) << text; };
}
size_t files_in(const fs::path& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST(RepeatedOutput, RewritesItsOwnVersionsAndLeavesNothingAside) {
  TempDir dir;
  RepeatedOutput out(dir / "run.checkpoint", false, {});
  for (const char* text : {"1", "2", "3"}) {
    out.write(writing(text));
    EXPECT_EQ(read_text(dir / "run.checkpoint"), text);
    EXPECT_EQ(files_in(dir.path()), 1u);
  }
}

TEST(RepeatedOutput, KeepsAFileThatAppearedOrWasReplacedMeanwhile) {
  TempDir dir;
  const std::string target = dir / "run.checkpoint";
  {  // appeared after the check, before the first write
    RepeatedOutput out(target, false, {});
    std::ofstream(target) << "another run's";
    EXPECT_NE(error_of([&] { out.write(writing("mine")); }).find("appeared or changed"), std::string::npos);
    EXPECT_EQ(read_text(target), "another run's");
  }
  fs::remove(target);
  {  // replaced by another program after this run's first version
    RepeatedOutput out(target, false, {});
    out.write(writing("mine 1"));
    std::ofstream(dir / "other") << "another run's";
    fs::rename(dir / "other", target);
    EXPECT_NE(error_of([&] { out.write(writing("mine 2")); }).find("appeared or changed"), std::string::npos);
    EXPECT_EQ(read_text(target), "another run's");
  }
  EXPECT_EQ(files_in(dir.path()), 1u);
}

TEST(RepeatedOutput, ReplacesAnEarlierRunsFileOnlyWhenAllowed) {
  TempDir dir;
  const std::string target = dir / "run.checkpoint";
  std::ofstream(target) << "earlier";
  EXPECT_NE(error_of([&] { RepeatedOutput(target, false, {}); }).find("already exists"), std::string::npos);
  RepeatedOutput out(target, true, {});  // -y, or --resume continuing it
  out.write(writing("new"));
  EXPECT_EQ(read_text(target), "new");
  std::ofstream(dir / "in.mkv") << "input";
  EXPECT_NE(error_of([&] { RepeatedOutput(dir / "in.mkv", true, {dir / "in.mkv"}); }).find("is the input"),
            std::string::npos);
}

TEST(OutputGate, DevicesFifosAndSocketsAreNeverReplaced) {
  TempDir dir;
  const std::string fifo = dir / "feed", socket_path = dir / "sock";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof(address.sun_path), "%s", socket_path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  for (const auto kind : {PendingOutput::Kind::File, PendingOutput::Kind::Folder})
    for (const auto& target : {fifo, socket_path, std::string("/dev/null")})
      EXPECT_NE(error_of([&] { PendingOutput::check(target, kind, true, {}); }).find("never replaces"), std::string::npos)
          << target;
  EXPECT_NE(error_of([&] { RepeatedOutput(fifo, true, {}); }).find("never replaces"), std::string::npos);
  // A report (bench --json) is written into a FIFO or character device, which stay.
  PendingOutput into_null("/dev/null", PendingOutput::Kind::FileOrStream, false, {});
  EXPECT_EQ(into_null.temp_path(), "/dev/null");
  into_null.commit();
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  EXPECT_NE(error_of([&] { PendingOutput::check(socket_path, PendingOutput::Kind::FileOrStream, true, {}); })
                .find("never replaces"),
            std::string::npos);
  ::close(fd);
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_TRUE(fs::is_socket(socket_path));
}

}  // namespace
}  // namespace interp::test
