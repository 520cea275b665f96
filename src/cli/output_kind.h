#pragma once
/// What an output path names, decided from the path alone and stated, never guessed
/// silently: standard output ("-"), numbered frames (an ffmpeg-style pattern such as
/// out/%06d.png), a folder of frames (an existing one, a trailing '/', or no extension),
/// a video (a container's extension, or any name when the container is given), or one
/// picture (.png). Anything else is refused in one line.
#include <string>

namespace interp::cli {

enum class OutputKind { Pipe, Sequence, Folder, Video, Picture };

/// Throws interp::Error for a name that says none of them. `container_given`: --format
/// was given, so any file name is a video.
OutputKind output_kind(const std::string& path, bool container_given = false);

/// The folder a frame-name pattern writes into (out/%06d.png -> out). Throws when the
/// pattern names none: frames need a folder of their own.
std::string sequence_folder(const std::string& pattern);

/// The containers a video output may use, for help texts: ".mp4 .mkv .mov .webm ...".
std::string video_extensions();

}  // namespace interp::cli
