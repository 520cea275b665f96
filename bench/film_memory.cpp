// Measures FILM's default configuration (34.4M parameters) on one pair at a given size
// on CPU: wall time and peak RSS. Weights are random: time and memory do not depend on
// them. Prints figures; asserts nothing.
//   build/bench/interp_film_memory [height width threads]
#include "interp/core/film/film_interpolator.h"
#include "interp/core/weights/state_dict.h"

#include <sys/resource.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  const int64_t h = argc > 1 ? std::atoll(argv[1]) : 1080;
  const int64_t w = argc > 2 ? std::atoll(argv[2]) : 1920;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
  torch::set_num_threads(threads);
  torch::manual_seed(0);
  interp::film::Interpolator random_net(interp::film::FilmConfig{});
  const auto weights = interp::weights::module_state(*random_net);
  interp::film::FilmInterpolator model(interp::film::FilmConfig{}, weights, {});
  const auto a = torch::rand({1, 3, h, w}), b = torch::rand({1, 3, h, w});
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  const auto t0 = std::chrono::steady_clock::now();
  const auto out = model.interpolate(a, b, {0.5});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  std::printf("FILM default config, %lldx%lld, CPU %d threads: %.1f s, peak RSS %.2f GiB (%.2f GiB before the pair)\n",
              static_cast<long long>(w), static_cast<long long>(h), threads, seconds,
              after.ru_maxrss / 1048576.0, before.ru_maxrss / 1048576.0);
  return out.numel() > 0 ? 0 : 1;
}
