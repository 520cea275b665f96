#pragma once
/// ffmpeg-style numbered file names ("frames/%06d.png"), so that interp reads and writes
/// the picture sequences ffmpeg makes and takes. Why a module of its own: the same
/// pattern rules decide what an output name means (cli), which files an input names
/// (reading) and what each written frame is called (the frame sink).
#include <cstdint>
#include <string>
#include <vector>

namespace interp::io {

/// True when the file name (not its folder) holds exactly one `%d` or `%0Nd` (N ≤ 18)
/// and no other `%` conversion (`%%` is a literal '%').
bool is_sequence_pattern(const std::string& path);

/// The pattern with `number` in place of its conversion ("%06d.png", 7 → "000007.png").
std::string sequence_name(const std::string& pattern, int64_t number);

/// Whether `file_name` is one that sequence_name(pattern, n) writes for some n >= 0.
bool matches_sequence(const std::string& pattern, const std::string& file_name);

/// The files a pattern names, in number order: from the lowest number found up to the
/// highest, with no gap (a missing number is interp::Error naming the missing file, as a
/// lost frame would silently shorten the timeline). Names are matched exactly as
/// sequence_name() writes them, so "%04d" does not pick up "12.png". Throws when none
/// exists.
std::vector<std::string> list_sequence(const std::string& pattern);

/// The pattern the picture files `names` of `folder` are numbered by ("%04d.png",
/// "frame_%d.jpg"): a folder's frames obey a pattern's rules. Throws interp::Error
/// naming every picture that does not fit (a thumbnail, another sequence).
std::string folder_pattern(const std::string& folder, const std::vector<std::string>& names);

}  // namespace interp::io
