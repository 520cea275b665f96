/// spdlog set-up: "[info] ..." lines on stderr, coloured on a terminal.
#include "log.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace interp::cli::log {

void init(Level level) {
  auto logger = spdlog::stderr_color_mt("interp");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%^[%l]%$ %v");
  spdlog::set_level(level == Level::Error ? spdlog::level::err
                    : level == Level::Debug ? spdlog::level::debug
                                            : spdlog::level::info);
}

void debug(const std::string& message) { spdlog::debug(message); }
void info(const std::string& message) { spdlog::info(message); }
void warn(const std::string& message) { spdlog::warn(message); }

}  // namespace interp::cli::log
