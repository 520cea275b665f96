/// Output kinds by name.
#include "output_kind.h"

#include "interp/base/error.h"

#include <algorithm>
#include <array>
#include <filesystem>

namespace interp::cli {
namespace {

constexpr std::array<const char*, 7> kVideo = {".mp4", ".mkv", ".mov", ".webm", ".avi", ".nut", ".m4v"};
constexpr std::array<const char*, 6> kOtherPictures = {".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool among(const std::string& ext, const char* const* begin, const char* const* end) {
  return std::find_if(begin, end, [&](const char* e) { return ext == e; }) != end;
}

}  // namespace

OutputKind output_kind(const std::string& path) {
  if (!path.empty() && path.back() == '/') return OutputKind::Folder;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return OutputKind::Folder;
  const std::string ext = lower(std::filesystem::path(path).extension().string());
  if (ext.empty()) return OutputKind::Folder;
  if (ext == ".png") return OutputKind::Picture;
  if (among(ext, kVideo.begin(), kVideo.end())) return OutputKind::Video;
  if (among(ext, kOtherPictures.begin(), kOtherPictures.end()))
    throw Error(path + ": interp writes pictures as PNG; name the output .png, or a folder for several frames");
  throw Error(path + ": cannot tell what kind of output '" + ext + "' is (a video: " + video_extensions() +
              "; one picture: .png; frames: a folder, e.g. out/)");
}

std::string video_extensions() {
  std::string out;
  for (const char* e : kVideo) out += (out.empty() ? "" : " ") + std::string(e);
  return out;
}

}  // namespace interp::cli
