#pragma once
/// Logging for the CLI through spdlog. Kept behind plain functions in their own target:
/// LibTorch ships its own {fmt} headers, which must not meet Debian's spdlog/fmt in
/// one translation unit.
#include <string>

namespace interp::cli::log {

enum class Level { Error, Info, Debug };

void init(Level level);
void debug(const std::string& message);
void info(const std::string& message);
void warn(const std::string& message);

}  // namespace interp::cli::log
