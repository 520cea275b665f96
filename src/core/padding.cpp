/// Right/bottom zero padding, as RIFE's reference inference does (FILM pads centred:
/// film_interpolator.cpp).
#include "interp/core/padding.h"

#include <torch/torch.h>

namespace interp {

torch::Tensor pad_to_multiple(const torch::Tensor& x, int64_t multiple) {
  const int64_t h = x.size(2), w = x.size(3);
  const int64_t ph = round_up(h, multiple), pw = round_up(w, multiple);
  if (ph == h && pw == w) return x;
  return torch::constant_pad_nd(x, {0, pw - w, 0, ph - h}, 0.0);
}

torch::Tensor crop_to(const torch::Tensor& x, int64_t height, int64_t width) {
  if (x.size(2) == height && x.size(3) == width) return x;
  return x.slice(2, 0, height).slice(3, 0, width);
}

}  // namespace interp
