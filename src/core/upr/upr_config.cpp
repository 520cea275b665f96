#include "interp/core/upr/upr_config.h"

#include <algorithm>
#include <cmath>

namespace interp::upr {

std::optional<UprConfig> UprConfig::by_name(const std::string& name) {
  for (const auto& config : all()) {
    const std::string size = config.name.substr(4);  // "upr-" stripped
    if (name == config.name || name == size) return config;
  }
  if (name == "LARGE") return llarge();  // the authors' own name for the largest size
  return std::nullopt;
}

std::vector<std::string> UprConfig::known_names() {
  std::vector<std::string> names;
  for (const auto& config : all()) names.push_back(config.name);
  return names;
}

int64_t pyramid_levels_for_width(int64_t width) {
  const double levels = std::ceil(std::log2(static_cast<double>(width) / 448.0) + 3.0);
  return std::max<int64_t>(1, static_cast<int64_t>(levels));
}

}  // namespace interp::upr
