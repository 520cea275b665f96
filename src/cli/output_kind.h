#pragma once
/// What an output path names, decided from the path alone and stated, never guessed
/// silently: a folder (an existing one, a trailing '/', or no extension), a video (a
/// container's extension), or one picture (.png). Anything else is refused in one line.
#include <string>

namespace interp::cli {

enum class OutputKind { Folder, Video, Picture };

/// Throws interp::Error for an extension that names none of the three.
OutputKind output_kind(const std::string& path);

/// The containers a video output may use, for help texts: ".mp4 .mkv .mov .webm ...".
std::string video_extensions();

}  // namespace interp::cli
