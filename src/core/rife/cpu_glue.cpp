/// Fused CPU kernels between IFNet's convolutions (see cpu_glue.h). The coordinate
/// arithmetic follows ATen's CPU upsample_bilinear2d and grid_sampler_2d step by step in
/// float32, so results equal the torch-op path to rounding.
#include "interp/core/rife/cpu_glue.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace interp::rife::cpu_glue {
namespace {

/// A 4-D float tensor with arbitrary strides; at(n, y, x) points at channel 0 of a
/// pixel, the channels follow `sc` apart.
struct View4 {
  float* data;
  int64_t sn, sc, sh, sw;
  explicit View4(const torch::Tensor& t)
      : data(t.data_ptr<float>()), sn(t.stride(0)), sc(t.stride(1)), sh(t.stride(2)), sw(t.stride(3)) {}
  float* at(int64_t n, int64_t y, int64_t x) const { return data + n * sn + y * sh + x * sw; }
};

/// One output coordinate of a linear resize: two source indices and their weights.
struct LinearTap {
  int64_t i0, i1;
  float l0, l1;
};

/// ATen's compute_source_index_and_lambda (align_corners=false, scale factor given).
std::vector<LinearTap> linear_taps(int64_t in_size, int64_t out_size, double factor) {
  std::vector<LinearTap> taps(out_size);
  const float ratio = static_cast<float>(1.0 / factor);
  for (int64_t i = 0; i < out_size; ++i) {
    if (in_size == out_size) {
      taps[i] = {i, i, 1.0f, 0.0f};
      continue;
    }
    float real = ratio * (static_cast<float>(i) + 0.5f) - 0.5f;
    if (real < 0) real = 0;
    const int64_t i0 = std::min(static_cast<int64_t>(std::floor(real)), in_size - 1);
    const float l1 = std::min(std::max(real - static_cast<float>(i0), 0.0f), 1.0f);
    taps[i] = {i0, i0 + (i0 < in_size - 1 ? 1 : 0), 1.0f - l1, l1};
  }
  return taps;
}

/// One coordinate of grid_sampler_2d (bilinear, border, align_corners=true): the
/// normalised grid value g unnormalised and clipped like ATen's vectorised kernel.
struct BorderSample {
  int64_t i0;
  bool has_next;   // i0 + 1 inside the image
  float w_next;    // weight of i0 + 1
  float w_this;    // weight of i0
};

inline BorderSample border_sample(float g, int64_t size) {
  const float max_val = static_cast<float>(size - 1);
  const float scaling = static_cast<float>(size - 1) / 2;
  float v = (g + 1.0f) * scaling;
  v = std::min(max_val, std::max(v, 0.0f));
  // v >= 0 here, so truncation is floor (and avoids a libm call per coordinate).
  const auto i0 = static_cast<int64_t>(v);
  const float frac = v - static_cast<float>(i0);
  return {i0, i0 + 1 < size, frac, 1.0f - frac};
}

/// Backward-warps one pixel of all channels: out[c] = bilinear(image at base + flow).
/// kChannels > 0 fixes the channel count at compile time.
template <int kChannels = 0>
inline void warp_pixel(const View4& image, int64_t n, int64_t channels, const BorderSample& sx,
                       const BorderSample& sy, float* out, int64_t out_sc) {
  if (kChannels > 0) channels = kChannels;
  const float nw = sy.w_this * sx.w_this, ne = sy.w_this * sx.w_next;
  const float sw = sy.w_next * sx.w_this, se = sy.w_next * sx.w_next;
  const int64_t x1 = sx.i0 + 1, y1 = sy.i0 + 1;
  const float* p_nw = image.at(n, sy.i0, sx.i0);
  const float* p_ne = sx.has_next ? image.at(n, sy.i0, x1) : nullptr;
  const float* p_sw = sy.has_next ? image.at(n, y1, sx.i0) : nullptr;
  const float* p_se = sx.has_next && sy.has_next ? image.at(n, y1, x1) : nullptr;
  for (int64_t c = 0; c < channels; ++c) {
    const int64_t o = c * image.sc;
    const float v_nw = p_nw[o], v_ne = p_ne ? p_ne[o] : 0.0f;
    const float v_sw = p_sw ? p_sw[o] : 0.0f, v_se = p_se ? p_se[o] : 0.0f;
    out[c * out_sc] = (v_nw * nw) + (v_ne * ne) + (v_sw * sw) + (v_se * se);
  }
}

/// Calls fn(n, y, x, sx0, sy0, sx1, sy1) for every pixel, in parallel over rows, with the
/// sample positions of img0 (flow channels 0-1) and img1 (channels 2-3).
template <typename Fn>
void for_each_warp_sample(const torch::Tensor& flow, Fn fn) {
  const int64_t n_count = flow.size(0), h = flow.size(2), w = flow.size(3);
  const auto lin_x = torch::linspace(-1.0, 1.0, w, torch::kFloat32);
  const auto lin_y = torch::linspace(-1.0, 1.0, h, torch::kFloat32);
  const float* gx = lin_x.data_ptr<float>();
  const float* gy = lin_y.data_ptr<float>();
  // The reference divides the flow by float32 ((W-1)/2, (H-1)/2); multiplying by the
  // reciprocal differs by at most an ulp of the normalised coordinate.
  const float inv_x = 1.0f / static_cast<float>((w - 1.0) / 2.0), inv_y = 1.0f / static_cast<float>((h - 1.0) / 2.0);
  const View4 f(flow);
  at::parallel_for(0, n_count * h, 4, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      const int64_t n = row / h, y = row % h;
      for (int64_t x = 0; x < w; ++x) {
        const float* fp = f.at(n, y, x);
        const auto sx0 = border_sample(gx[x] + fp[0] * inv_x, w);
        const auto sy0 = border_sample(gy[y] + fp[f.sc] * inv_y, h);
        const auto sx1 = border_sample(gx[x] + fp[2 * f.sc] * inv_x, w);
        const auto sy1 = border_sample(gy[y] + fp[3 * f.sc] * inv_y, h);
        fn(n, y, x, sx0, sy0, sx1, sy1);
      }
    }
  });
}

/// Reads a tensor as it is: element offsets split into batch, row and column parts.
struct PlainSource {
  View4 v;
  explicit PlainSource(const torch::Tensor& t) : v(t) {}
  int64_t n_offset(int64_t n) const { return n * v.sn; }
  int64_t y_offset(int64_t y) const { return y * v.sh; }
  int64_t x_offset(int64_t x) const { return x * v.sw; }
  int64_t channel_stride() const { return v.sc; }
};

/// Reads an N×4C×h×w tensor as pixel_shuffle(t, 2): N×C×2h×2w.
struct ShuffledSource {
  View4 v;
  explicit ShuffledSource(const torch::Tensor& t) : v(t) {}
  int64_t n_offset(int64_t n) const { return n * v.sn; }
  int64_t y_offset(int64_t y) const { return (y / 2) * v.sh + (y % 2) * 2 * v.sc; }
  int64_t x_offset(int64_t x) const { return (x / 2) * v.sw + (x % 2) * v.sc; }
  int64_t channel_stride() const { return 4 * v.sc; }
};

/// One output row of a bilinear resize; kChannels > 0 fixes the channel count at compile
/// time (the common 1, 3 and 4) so the inner loop unrolls.
template <int kChannels>
void resize_row(const float* src, int64_t channels, int64_t sc, int64_t y0, int64_t y1, float ly0, float ly1,
                const int64_t* x0, const int64_t* x1, const float* lx0, const float* lx1, int64_t out_w, float* out,
                int64_t out_sw, int64_t out_sc, float multiplier, bool accumulate) {
  const int64_t c_count = kChannels > 0 ? kChannels : channels;
  for (int64_t x = 0; x < out_w; ++x) {
    const float* p00 = src + y0 + x0[x];
    const float* p01 = src + y0 + x1[x];
    const float* p10 = src + y1 + x0[x];
    const float* p11 = src + y1 + x1[x];
    float* o = out + x * out_sw;
    for (int64_t c = 0; c < c_count; ++c) {
      const int64_t k = c * sc;
      const float v = ly0 * (lx0[x] * p00[k] + lx1[x] * p01[k]) + ly1 * (lx0[x] * p10[k] + lx1[x] * p11[k]);
      float& target = o[c * out_sc];
      target = accumulate ? target + v * multiplier : v * multiplier;
    }
  }
}

template <typename Source>
void resize_from(const Source& s, int64_t n_count, int64_t channels, int64_t in_h, int64_t in_w, torch::Tensor& dst,
                 double factor, float multiplier, bool accumulate) {
  TORCH_CHECK(applicable(dst), "cpu_glue: CPU float32 4-D destination expected");
  const int64_t out_h = dst.size(2), out_w = dst.size(3);
  TORCH_CHECK(dst.size(0) == n_count && dst.size(1) == channels, "cpu_glue: batch/channels differ");
  TORCH_CHECK(out_h == static_cast<int64_t>(std::floor(in_h * factor)) &&
                  out_w == static_cast<int64_t>(std::floor(in_w * factor)),
              "cpu_glue: destination size does not match the factor");
  const auto ty = linear_taps(in_h, out_h, factor);
  const auto tx = linear_taps(in_w, out_w, factor);
  // Column taps as source offsets and weights, computed once per call.
  std::vector<int64_t> x0(out_w), x1(out_w);
  std::vector<float> lx0(out_w), lx1(out_w);
  for (int64_t x = 0; x < out_w; ++x) {
    x0[x] = s.x_offset(tx[x].i0);
    x1[x] = s.x_offset(tx[x].i1);
    lx0[x] = tx[x].l0;
    lx1[x] = tx[x].l1;
  }
  const View4 d(dst);
  const int64_t sc = s.channel_stride();
  const float* base = s.v.data;
  auto row = channels == 1 ? resize_row<1> : channels == 3 ? resize_row<3> : channels == 4 ? resize_row<4> : resize_row<0>;
  at::parallel_for(0, n_count * out_h, 8, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const int64_t n = r / out_h, y = r % out_h;
      const LinearTap& a = ty[y];
      row(base + s.n_offset(n), channels, sc, s.y_offset(a.i0), s.y_offset(a.i1), a.l0, a.l1, x0.data(), x1.data(),
          lx0.data(), lx1.data(), out_w, d.at(n, y, 0), d.sw, d.sc, multiplier, accumulate);
    }
  });
}

void check_warp_inputs(const torch::Tensor& img0, const torch::Tensor& img1, const torch::Tensor& flow) {
  TORCH_CHECK(applicable(img0) && applicable(img1) && applicable(flow), "cpu_glue: CPU float32 4-D tensors expected");
  TORCH_CHECK(img0.sizes() == img1.sizes(), "cpu_glue: images differ in shape");
  TORCH_CHECK(flow.size(0) == img0.size(0) && flow.size(1) == 4 && flow.size(2) == img0.size(2) &&
                  flow.size(3) == img0.size(3),
              "cpu_glue: flow must be N×4×H×W like the images");
}

}  // namespace

bool applicable(const torch::Tensor& t) {
  return t.defined() && t.device().is_cpu() && t.scalar_type() == torch::kFloat32 && t.dim() == 4;
}

void resize_into(const torch::Tensor& src, torch::Tensor& dst, double factor, float multiplier, bool accumulate) {
  TORCH_CHECK(applicable(src), "cpu_glue::resize_into: CPU float32 4-D source expected");
  resize_from(PlainSource(src), src.size(0), src.size(1), src.size(2), src.size(3), dst, factor, multiplier,
              accumulate);
}

void resize_shuffled_into(const torch::Tensor& src, torch::Tensor& dst, double factor, float multiplier,
                          bool accumulate) {
  TORCH_CHECK(applicable(src) && src.size(1) % 4 == 0, "cpu_glue::resize_shuffled_into: N×4C×h×w float source");
  resize_from(ShuffledSource(src), src.size(0), src.size(1) / 4, 2 * src.size(2), 2 * src.size(3), dst, factor,
              multiplier, accumulate);
}

void warp_both(const torch::Tensor& img0, const torch::Tensor& img1, const torch::Tensor& flow, torch::Tensor& out0,
               torch::Tensor& out1) {
  check_warp_inputs(img0, img1, flow);
  TORCH_CHECK(out0.sizes() == img0.sizes() && out1.sizes() == img1.sizes(), "cpu_glue::warp_both: output shape");
  const int64_t channels = img0.size(1);
  const View4 a(img0), b(img1), o0(out0), o1(out1);
  auto warp_all = [&](auto pixel) {
    for_each_warp_sample(flow, [&](int64_t n, int64_t y, int64_t x, const BorderSample& sx0, const BorderSample& sy0,
                                   const BorderSample& sx1, const BorderSample& sy1) {
      pixel(a, n, channels, sx0, sy0, o0.at(n, y, x), o0.sc);
      pixel(b, n, channels, sx1, sy1, o1.at(n, y, x), o1.sc);
    });
  };
  if (channels == 3)
    warp_all(warp_pixel<3>);
  else
    warp_all(warp_pixel<0>);
}

torch::Tensor warp_and_merge(const torch::Tensor& img0, const torch::Tensor& img1, const torch::Tensor& flow,
                             const torch::Tensor& mask) {
  check_warp_inputs(img0, img1, flow);
  TORCH_CHECK(applicable(mask) && mask.size(1) == 1, "cpu_glue::warp_and_merge: mask must be N×1×H×W float");
  const int64_t channels = img0.size(1);
  TORCH_CHECK(channels <= 4, "cpu_glue::warp_and_merge: at most 4 channels");
  auto out = torch::empty(img0.sizes(), img0.options().memory_format(torch::MemoryFormat::ChannelsLast));
  const View4 a(img0), b(img1), m(mask), o(out);
  for_each_warp_sample(flow, [&](int64_t n, int64_t y, int64_t x, const BorderSample& sx0, const BorderSample& sy0,
                                 const BorderSample& sx1, const BorderSample& sy1) {
    float w0[4], w1[4];
    warp_pixel<0>(a, n, channels, sx0, sy0, w0, 1);
    warp_pixel<0>(b, n, channels, sx1, sy1, w1, 1);
    const float weight = 1.0f / (1.0f + std::exp(-*m.at(n, y, x)));
    float* dst = o.at(n, y, x);
    for (int64_t c = 0; c < channels; ++c) dst[c * o.sc] = w0[c] * weight + w1[c] * (1 - weight);
  });
  return out;
}

}  // namespace interp::rife::cpu_glue
