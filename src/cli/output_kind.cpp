/// Output kinds by name.
#include "output_kind.h"

#include "interp/base/error.h"
#include "interp/io/image_sequence.h"
#include "interp/io/video_writer.h"

#include <algorithm>
#include <array>
#include <filesystem>

namespace interp::cli {
namespace {

/// The common ones, for help texts; any extension FFmpeg writes a video file for works.
constexpr std::array<const char*, 8> kVideo = {".mp4", ".mkv", ".mov", ".webm", ".avi", ".nut", ".m4v", ".ts"};
constexpr std::array<const char*, 6> kOtherPictures = {".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool among(const std::string& ext, const char* const* begin, const char* const* end) {
  return std::find_if(begin, end, [&](const char* e) { return ext == e; }) != end;
}

}  // namespace

OutputKind output_kind(const std::string& path, bool container_given) {
  if (path == "-") return OutputKind::Pipe;
  if (io::is_sequence_pattern(path)) {
    if (lower(std::filesystem::path(path).extension().string()) != ".png")
      throw Error(path + ": interp writes numbered frames as PNG; end the pattern in .png (e.g. out/%06d.png)");
    return OutputKind::Sequence;
  }
  if (!path.empty() && path.back() == '/') return OutputKind::Folder;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return OutputKind::Folder;
  const std::string ext = lower(std::filesystem::path(path).extension().string());
  if (ext.empty() && !container_given) return OutputKind::Folder;
  if (container_given) return OutputKind::Video;
  if (ext == ".png") return OutputKind::Picture;
  if (among(ext, kOtherPictures.begin(), kOtherPictures.end()))
    throw Error(path + ": interp writes pictures as PNG; name the output .png, or a folder for several frames");
  if (!io::video_container_for(path).empty()) return OutputKind::Video;  // FFmpeg's muxers decide, not a list
  throw Error(path + ": cannot tell what kind of output '" + ext + "' is (a video: " + video_extensions() +
              "; one picture: .png; frames: a folder, e.g. out/, or out/%06d.png)");
}

std::string sequence_folder(const std::string& pattern) {
  const std::string folder = std::filesystem::path(pattern).parent_path().string();
  if (folder.empty() || folder == ".")
    throw Error(pattern + ": frames need a folder of their own (e.g. out/" + pattern + ")");
  return folder;
}

std::string video_extensions() {
  std::string out;
  for (const char* e : kVideo) out += (out.empty() ? "" : " ") + std::string(e);
  return out;
}

}  // namespace interp::cli
