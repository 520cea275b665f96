// Every command × every option it writes × every kind of target that must survive. The
// options come from each command's own --help (the group kOutputGroup in
// src/cli/options.h), so an option added there is tried here without anyone listing it.
// Targets: each input (the model picked by name among them) by path, symbolic link and
// hard link, a device node, a FIFO, an existing file without -y, and "-" with standard
// output opened on each input (1<> and >>). After every case each input holds its
// bytes, the device is the same device, the FIFO a FIFO, and no temporary file is left.
#include "cli_support.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <map>
#include <regex>

namespace interp::test {
namespace {
namespace fs = std::filesystem;

/// A command's working invocation. `@NAME@` stands for a file the fixture made; an output
/// is written `@NAME=default@` (the name used when another output is under test); flag
/// outputs the template lacks are appended with a default of their own.
struct CommandCase {
  std::string name;                 ///< the subcommand ("" for the root: video)
  std::string args;
  std::vector<std::string> inputs;  ///< the placeholders of the files it reads
};

void PrintTo(const CommandCase& c, std::ostream* os) { *os << (c.name.empty() ? "video" : c.name); }

const std::vector<CommandCase>& commands() {
  static const std::vector<CommandCase> all = {
      {"", "@MODEL_BY_NAME@ --precision fp32 @CLIP@ @OUTPUT=o.mkv@", {"MODEL", "CLIP"}},
      {"pair", "pair @PIC0@ @PIC1@ @OUT=mid.png@ @MODEL_BY_NAME@ --precision fp32", {"MODEL", "PIC0", "PIC1"}},
      {"convert", "convert @MODEL@ @OUT=c.safetensors@", {"MODEL"}},
      {"bench", "bench @MODEL_BY_NAME@ --precision fp32 --size 64x64 --runs 1 --warmup 0", {"MODEL"}},
      {"join", "join @OUTPUT=j.mkv@ @PIECE0@ @PIECE1@", {"PIECE0", "PIECE1", "CLIP"}},
      {"train", "train @MODEL_BY_NAME@ --data @CLIP@ --steps 1 --crop 64 --batch 1 --validation 0 --quality fast "
                "--out @--out=t.safetensors@",
       {"MODEL", "CLIP"}},
      {"split-plan", "split-plan @CLIP@ --segments 2", {"CLIP"}},
  };
  return all;
}

/// The outputs `command --help` lists: the options of the output group ("--json"), and
/// the positionals whose name ends in OUT or OUTPUT (CLI11 lists positionals apart from
/// their group, so their name says it).
std::vector<std::string> outputs_in_help(const std::string& command) {
  const auto help = run(quote(INTERP_BINARY) + " " + command + " --help").out;
  std::vector<std::string> names;
  std::istringstream lines(help);
  std::string line, section;
  while (std::getline(lines, line)) {
    if (!line.empty() && line[0] != ' ') {
      section = line;
      continue;
    }
    std::smatch m;
    if (section.rfind("Outputs (", 0) == 0 && std::regex_search(line, m, std::regex("^\\s+(?:-\\w, )?(--[\\w-]+)")))
      names.push_back(m[1]);
    if (section == "Positionals:" && std::regex_search(line, m, std::regex("^\\s+[^a-z]*?\\b(OUT|OUTPUT) TEXT")))
      names.push_back(m[1]);
  }
  return names;
}

class GateMatrix : public ::testing::TestWithParam<CommandCase> {
 protected:
  void SetUp() override {
    INTERP_REQUIRE_SHARED(weights, "golden/rife_v4.6_random.pkl");
    fs::create_directory(dir / "models");
    files["MODEL"] = dir / "models/rife-v4.6.safetensors";  // installed: --model picks it by name
    ASSERT_EQ(run(interp_cmd("convert " + quote(weights) + " " + quote(files["MODEL"]))).code, 0);
    files["CLIP"] = dir / "clip.mkv";
    make_clip(files["CLIP"], 128, 96, "25", 8, "-c:v ffv1");
    for (int i : {0, 1}) {
      files["PIC" + std::to_string(i)] = dir / ("pic" + std::to_string(i) + ".png");
      ASSERT_EQ(run("ffmpeg -v error -i " + quote(files["CLIP"]) + " -vf " + quote("select=eq(n\\," + std::to_string(i) + ")") +
                    " -frames:v 1 " + quote(files["PIC" + std::to_string(i)])).code, 0);
      files["PIECE" + std::to_string(i)] = dir / ("piece" + std::to_string(i) + ".mkv");
      ASSERT_EQ(run(interp_cmd("--model " + quote(files["MODEL"]) + " --codec ffv1 --range " + (i ? "4:" : "0:4") + " " +
                               quote(files["CLIP"]) + " " + quote(files["PIECE" + std::to_string(i)]))).code, 0);
    }
    for (const auto& [name, path] : files) original[name] = slurp(path);
  }

  /// The invocation with `tested` (an output's name) set to `target`, every other output
  /// to its default in a folder of its own.
  std::string invocation(const CommandCase& c, const std::string& tested, const std::string& target,
                         const std::vector<std::string>& outputs) const {
    std::string args = c.args;
    for (const auto& output : outputs)
      if (output.rfind("--", 0) == 0 && args.find("@" + output + "=") == std::string::npos)
        args += " " + output + " @" + output + "=" + output.substr(2) + ".out@";
    std::string out;
    std::smatch m;
    while (std::regex_search(args, m, std::regex("@([^@=]+)(?:=([^@]*))?@"))) {
      const std::string name = m[1];
      std::string value;
      if (name == "MODEL_BY_NAME") value = "--models-dir " + quote(dir / "models") + " --model rife-v4.6";
      else if (!m[2].matched) value = quote(files.at(name));
      else if (name == tested) value = target;
      else value = quote(dir / ("defaults/" + std::string(m[2])));
      out += m.prefix().str() + value;
      args = m.suffix().str();
    }
    return out + args;
  }

  /// The extension the output's default name has ("" for none).
  std::string extension_of(const CommandCase& c, const std::string& output) const {
    std::smatch m;
    const std::string args = c.args;
    if (std::regex_search(args, m, std::regex("@" + output + "=([^@]*)@"))) return fs::path(std::string(m[1])).extension();
    return ".out";
  }

  /// Every input as it was; nothing temporary left anywhere in the folder.
  void expect_nothing_lost(const std::string& what) {
    for (const auto& [name, bytes] : original) EXPECT_EQ(slurp(files.at(name)), bytes) << what << ": " << name;
    for (const auto& e : fs::recursive_directory_iterator(dir.path()))
      EXPECT_EQ(e.path().filename().string().find(".partial"), std::string::npos) << what << ": " << e.path();
  }

  RunResult interp_in_dir(const std::string& args, const std::string& redirect = "") {
    fresh_defaults();
    return run("cd " + quote(dir.path()) + " && " + quote(INTERP_BINARY) + " -q " + args + " " + redirect);
  }

  /// interp with a reader on `fifo` (an output that streams writes into it); the reader
  /// is stopped afterwards if interp never opened the FIFO.
  RunResult interp_with_reader(const std::string& args, const std::string& fifo) {
    fresh_defaults();
    return run("cd " + quote(dir.path()) + " && { " + quote(INTERP_BINARY) + " -q " + args + " & p=$!; cat " +
               quote(fifo) + " >/dev/null & c=$!; wait $p; r=$?; kill $c 2>/dev/null; wait $c; exit $r; }");
  }

  void fresh_defaults() {
    fs::remove_all(dir / "defaults");
    fs::create_directory(dir / "defaults");
  }

  TempDir dir;
  std::map<std::string, std::string> files, original;
};

TEST_P(GateMatrix, NoWritingOptionReplacesAnInputADeviceOrAFifo) {
  const CommandCase& c = GetParam();
  const auto outputs = outputs_in_help(c.name);
  if (c.name == "split-plan") EXPECT_TRUE(outputs.empty());  // standard output only
  else ASSERT_FALSE(outputs.empty()) << "no output group in the help of " << c.name;
  const bool root = ::geteuid() == 0;
  if (!root && running_in_ci()) ADD_FAILURE() << "the device-node case needs root (mknod), as CI has";
  for (const auto& output : outputs) {
    if (output[0] != '-')  // a positional output must be in the working invocation
      ASSERT_NE(c.args.find("@" + output + "="), std::string::npos) << c.name << ": add " << output << " to the table";
    const std::string ext = extension_of(c, output);
    const auto refused = [&](const std::string& target, const std::string& what, bool overwrite = true) {
      const auto r = interp_in_dir(invocation(c, output, target, outputs) + (overwrite ? " -y" : ""));
      EXPECT_NE(r.code, 0) << c.name << " " << output << " = " << what << " was accepted";
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
      expect_nothing_lost(c.name + " " + output + " = " + what);
    };
    for (const auto& input : c.inputs) {
      refused(quote(files[input]), "the input " + input);
      const std::string sym = dir / ("sym" + ext), hard = dir / ("hard" + ext);
      fs::create_symlink(files[input], sym);
      refused(quote(sym), "a symbolic link to " + input);
      fs::remove(sym);
      fs::create_hard_link(files[input], hard);
      refused(quote(hard), "a hard link to " + input);
      fs::remove(hard);
      // Standard output opened on the input, with the option writing there where it can.
      for (const std::string redirect : {"1<>", ">>"}) {
        interp_in_dir(invocation(c, output, "-", outputs) + " -y", redirect + " " + quote(files[input]));
        expect_nothing_lost(c.name + " " + output + " = - " + redirect + " " + input);
      }
    }
    const std::string old = dir / ("old" + ext);
    std::ofstream(old) << "the user's";
    refused(quote(old), "an existing file without -y", /*overwrite=*/false);
    EXPECT_EQ(slurp(old), "the user's");
    fs::remove(old);
    // A device node (major 1, minor 3: what /dev/null is) and a FIFO: written into by
    // outputs that stream, refused by the others, never replaced.
    const std::string node = dir / ("node" + ext);
    if (root) {
      ASSERT_EQ(::mknod(node.c_str(), S_IFCHR | 0666, makedev(1, 3)), 0);
      interp_in_dir(invocation(c, output, quote(node), outputs) + " -y");
      struct stat st {};
      ASSERT_EQ(::lstat(node.c_str(), &st), 0);
      EXPECT_TRUE(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3)) << c.name << " " << output << " replaced a device";
      fs::remove(node);
    }
    const std::string fifo = dir / ("fifo" + ext);
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    interp_with_reader(invocation(c, output, quote(fifo), outputs) + " -y", fifo);
    EXPECT_TRUE(fs::is_fifo(fifo)) << c.name << " " << output << " replaced a FIFO";
    fs::remove(fifo);
    expect_nothing_lost(c.name + " " + output + " = a device or FIFO");
  }
  // Standard output opened on each input, whatever the command writes there.
  for (const auto& input : c.inputs) {
    interp_in_dir(invocation(c, "", "", outputs), "1<> " + quote(files[input]));
    expect_nothing_lost(c.name + " 1<> " + input);
  }
}

INSTANTIATE_TEST_SUITE_P(EveryCommand, GateMatrix, ::testing::ValuesIn(commands()), [](const auto& info) {
  std::string name = info.param.name.empty() ? "video" : info.param.name;
  name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
  return name;
});

}  // namespace
}  // namespace interp::test
