#pragma once
/// What distinguishes UPR-Net's three published sizes, as data. The authors' base, large
/// and LARGE files (core/models/upr_base.py, upr_large.py, upr_llarge.py) are one network
/// whose every width is a multiple of the feature pyramid's first-stage channels
/// (16, 24, 32); one implementation builds any of them from this.
#include "interp/core/model_traits.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace interp::upr {

struct UprConfig {
  std::string name;      ///< "upr-base", "upr-large", "upr-llarge"
  int64_t channels = 16; ///< first feature-pyramid stage; stages 2c, 4c follow

  /// Feature-pyramid channels of stage s (0, 1, 2).
  int64_t stage_channels(int64_t stage) const { return channels << stage; }
  /// Output channels of the motion estimator's five hidden convs (base: 160 128 112 96 64).
  std::vector<int64_t> motion_widths() const { return {10 * channels, 8 * channels, 7 * channels, 6 * channels, 4 * channels}; }

  /// The pair alone; t is an input of its synthesis: any time in (0,1).
  ModelTraits traits() const { return {0, 0, true}; }

  static UprConfig base() { return {"upr-base", 16}; }
  static UprConfig large() { return {"upr-large", 24}; }
  static UprConfig llarge() { return {"upr-llarge", 32}; }
  static std::vector<UprConfig> all() { return {base(), large(), llarge()}; }
  /// "upr-base"/"base", "upr-large"/"large", "upr-llarge"/"llarge"/"LARGE" -> config.
  static std::optional<UprConfig> by_name(const std::string& name);
  static std::vector<std::string> known_names();
};

/// Pyramid depth for a frame `width` pixels wide, as the authors' demo chooses it:
/// ceil(log2(width / 448) + 3) (3 levels at 448, one more per doubling), at least 1.
int64_t pyramid_levels_for_width(int64_t width);

/// Inputs are padded to a multiple of 2^(levels+1): the coarsest level's features sit at
/// 1/4 of an image already halved levels-1 times.
inline int64_t pad_multiple(int64_t levels) { return int64_t{1} << (levels + 1); }

}  // namespace interp::upr
