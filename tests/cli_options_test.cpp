// What every command's options accept, read from the commands' own --help: a number
// option takes a finite number in its range and nothing else, at parse time, in one
// line naming it; an option a command does not use is refused, never ignored.
#include "cli_support.h"

#include <regex>

namespace interp::test {
namespace {

const std::vector<std::string> kCommands = {"", "pair", "convert", "bench", "split-plan", "join", "train"};

/// (option, type) of every numeric option in `command --help` ("--minutes", "FLOAT").
std::vector<std::pair<std::string, std::string>> numeric_options(const std::string& command) {
  const auto help = run(quote(INTERP_BINARY) + " " + command + " --help").out;
  std::vector<std::pair<std::string, std::string>> found;
  std::istringstream lines(help);
  std::string line;
  const std::regex option("^\\s+(?:-\\w, )?(--[\\w-]+) (FLOAT|INT|UINT)\\b");
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_search(line, m, option)) found.emplace_back(m[1], m[2]);
  }
  return found;
}

TEST(Options, EveryNumberIsFiniteAndInRangeOrRefusedAtParseTime) {
  int checked = 0;
  for (const auto& command : kCommands) {
    for (const auto& [option, type] : numeric_options(command)) {
      // What CLI11's Range lets through or wraps, per type (each run loads LibTorch: few).
      const std::vector<std::string> bad =
          type == "FLOAT" ? std::vector<std::string>{"nan", "-inf", "1e999"}
          : type == "INT" ? std::vector<std::string>{"nan", "1.5", "99999999999999999999999"}
                          : std::vector<std::string>{"-1", "99999999999999999999999"};
      for (const auto& value : bad) {
        const auto r = run(interp_cmd(command + " " + option + " " + value));
        EXPECT_EQ(r.code, 2) << command << " " << option << " " << value << ": " << r.err;
        EXPECT_NE(r.err.find(option), std::string::npos) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 20);  // the help lists them: --minutes, --lr, --seed, --scene-threshold, ...
}

TEST(Options, TheNumbersNamedInTheIssueAreRefusedByName) {
  const auto refused = [](const std::string& args, const std::string& words) {
    const auto r = run(interp_cmd(args));
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
  };
  refused("train --minutes nan", "--minutes: 'nan' is not a finite number");
  refused("--adapt nan in.mp4 out.mkv", "--adapt: 'nan' is not a finite number");
  refused("train --validation nan", "--validation");
  refused("train --lr nan", "--lr");
  refused("train --seed -1", "--seed");
  refused("train --seed 99999999999999999999999", "--seed: '99999999999999999999999' is out of range");
}

TEST(Options, AnOptionTheCommandDoesNotUseIsRefused) {
  for (const auto& [args, words] : std::vector<std::pair<std::string, std::string>>{
           {"join o.mkv a.mkv b.mkv --progress p.txt", "--progress is not an option of join"},
           {"bench --adapt 1", "--adapt is not an option of bench"},
           {"bench --exp 4", "--exp is not an option of bench"},
           {"split-plan in.mp4 -s 2 --range 0:3", "--range"},
           {"--fallback maybe in.mp4 out.mkv", "--fallback"},
           {"train --data x.mp4 --out y.safetensors --fallback off", "--fallback"},
           {"convert " + quote(test_model()) + " b.safetensors --fps 60", "--fps is not an option of convert"}}) {
    const auto r = run(interp_cmd(args));
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_NE(r.err.find(words), std::string::npos) << args << ": " << r.err;
  }
  // A setting both take still reaches the subcommand from before its name.
  INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
  INTERP_REQUIRE_SHARED(b, "pairs/rife_i1.png");
  const auto r = run(interp_cmd("--model nowhere.pkl pair " + quote(a) + " " + quote(b) + " c.png"));
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("nowhere.pkl"), std::string::npos) << r.err;
}

TEST(Options, WhatIsPrintedOnStandardOutputReachesItOrTheCommandFails) {
  // As coreutils: a plan a farm script reads is never cut short in silence.
  TempDir dir;
  make_clip(dir / "in.mp4", 64, 48, "25", 6);
  for (const std::string& args : {"split-plan " + quote(dir / "in.mp4") + " -s 2", std::string("--help"),
                                  std::string("--version")}) {
    auto r = run(interp_cmd(args + " > /dev/full"));
    EXPECT_EQ(r.code, 1) << args;
    EXPECT_NE(r.err.find("interp: error: standard output: cannot write (No space left on device)"), std::string::npos)
        << args << ": " << r.err;
    r = run(interp_cmd(args));
    EXPECT_EQ(r.code, 0) << args << ": " << r.err;
    EXPECT_FALSE(r.out.empty()) << args;
  }
}

}  // namespace
}  // namespace interp::test
