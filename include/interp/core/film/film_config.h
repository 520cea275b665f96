#pragma once
/// film_net's options, with the defaults of the released model (34.4M parameters).
#include "interp/core/model_traits.h"

#include <cstdint>
#include <vector>

namespace interp::film {

struct FilmConfig {
  int64_t pyramid_levels = 7;         ///< image/feature pyramid depth
  int64_t fusion_pyramid_levels = 5;  ///< finest levels fed to the fusion decoder
  int64_t specialized_levels = 3;     ///< fine levels with their own flow predictors
  int64_t sub_levels = 4;             ///< depth of each feature sub-tree
  int64_t filters = 64;               ///< base channel count
  std::vector<int64_t> flow_convs{3, 3, 3, 3};
  std::vector<int64_t> flow_filters{32, 64, 128, 256};

  /// Inputs are padded to a multiple of this: 2^(pyramid_levels-1).
  int64_t pad_multiple() const { return int64_t{1} << (pyramid_levels - 1); }

  /// The pair alone; the published models are trained for the midpoint only.
  ModelTraits traits() const { return {0, 0, false}; }

  /// The small configuration of the golden parity vectors.
  static FilmConfig small() {
    FilmConfig c;
    c.filters = 16;
    c.flow_filters = {8, 16, 32, 64};
    return c;
  }
};

}  // namespace interp::film
