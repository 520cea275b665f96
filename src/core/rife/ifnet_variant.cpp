/// The published IFNet configurations: v3.9 (the last v3, first with a timestep input)
/// and the v4 family.
#include "interp/core/rife/ifnet_variant.h"

#include <cmath>

namespace interp::rife {

int64_t IFNetVariant::block_inputs(int64_t i) const {
  const int64_t images = 6 + 2 * head_channels;  // img0, img1 (warped after block 0) + features
  if (i == 0) return images + 1;                 // + timestep
  return images + 1 + 1 + passed_features + 4;   // + timestep, mask, passed features, flow
}

double IFNetVariant::base_scale(int64_t i) const {
  return std::ldexp(1.0, static_cast<int>(num_blocks() - 1 - i));
}

IFNetVariant IFNetVariant::v3_9() {
  IFNetVariant v;
  v.name = "rife-v3.9";
  v.block_widths = {192, 128, 96, 64};
  v.block_outputs = 5;  // flow(4) + mask(1)
  v.mask_accumulates = true;
  // A restart doubles every scale, so block 0 then works at 1/16 and needs 16·4.
  v.pad_multiple = 64;
  v.activation = Activation::kPRelu;
  v.trunk = Trunk::kConvStackWithSkip;
  v.block_head = BlockHead::kDeconv;
  v.large_motion_restart_px = 32;
  v.refinement = true;
  v.ensemble = true;
  v.unused_weight_prefixes = {"block_tea."};
  return v;
}

IFNetVariant IFNetVariant::v4_6() {
  IFNetVariant v;
  v.name = "rife-v4.6";
  v.block_widths = {192, 128, 96, 64};
  v.block_outputs = 6;  // flow(4) + mask(1) + one channel the network ignores
  v.mask_accumulates = true;
  v.ensemble = true;
  v.pad_multiple = 32;
  return v;
}

IFNetVariant IFNetVariant::v4_25() {
  IFNetVariant v;
  v.name = "rife-v4.25";
  v.block_widths = {192, 128, 96, 64, 32};
  v.block_outputs = 13;  // flow(4) + mask(1) + features(8)
  v.head_channels = 4;
  v.passed_features = 8;
  v.mask_accumulates = false;
  v.pad_multiple = 64;
  return v;
}

std::vector<IFNetVariant> IFNetVariant::all() { return {v3_9(), v4_6(), v4_25()}; }

std::optional<IFNetVariant> IFNetVariant::by_name(const std::string& raw) {
  std::string name = raw;
  for (const char* prefix : {"rife-", "rife_", "rife"})
    if (name.rfind(prefix, 0) == 0) { name = name.substr(std::string(prefix).size()); break; }
  if (!name.empty() && (name[0] == 'v' || name[0] == 'V')) name = name.substr(1);
  if (name == "3.9") return v3_9();
  if (name == "4.6") return v4_6();
  if (name == "4.25" || name == "4.26") {
    auto v = v4_25();
    v.name = "rife-v" + name;  // v4.26 shares v4.25's architecture
    return v;
  }
  return std::nullopt;
}

std::vector<std::string> IFNetVariant::known_names() {
  return {"rife-v3.9", "rife-v4.6", "rife-v4.25", "rife-v4.26"};
}

}  // namespace interp::rife
