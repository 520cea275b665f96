/// Exact output timing for frame-rate multiplication.
#include "interp/pipeline/timeline.h"

#include "interp/base/error.h"

#include <numeric>

namespace interp::pipeline {

namespace {
RateRatio reduced(int64_t num, int64_t den) {
  const int64_t g = std::gcd(num, den);
  return {num / g, den / g};
}
}  // namespace

Timeline::Timeline(RateRatio ratio) : ratio_(reduced(ratio.num, ratio.den)) {
  if (ratio_.num <= 0 || ratio_.den <= 0) throw Error("frame-rate ratio must be positive");
}

Timeline Timeline::one_between(RateRatio t) {
  if (t.num <= 0 || t.den <= 0 || t.num >= t.den) throw Error("an in-between's time must lie strictly between 0 and 1");
  Timeline timeline({2, 1});
  timeline.one_at_ = reduced(t.num, t.den);
  return timeline;
}

std::vector<OutputSlot> Timeline::slots_for_pair(int64_t i) const {
  if (one_at_ && i > 0) return {{i + 1, 0, 0, 1}};
  if (one_at_) return {{0, 0, 0, 1}, {1, static_cast<double>(one_at_->num) / one_at_->den, one_at_->num, one_at_->den}};
  // k * den / num in [i, i+1)  <=>  k in [ceil(i*num/den), ceil((i+1)*num/den))
  const auto ceil_div = [](int64_t a, int64_t b) { return (a + b - 1) / b; };
  const int64_t first = ceil_div(i * ratio_.num, ratio_.den);
  const int64_t last = ceil_div((i + 1) * ratio_.num, ratio_.den);
  std::vector<OutputSlot> slots;
  for (int64_t k = first; k < last; ++k) {
    // t = k*den/num - i = (k*den - i*num) / num
    const int64_t tn = k * ratio_.den - i * ratio_.num;
    const int64_t g = std::gcd(tn, ratio_.num);
    slots.push_back({k, static_cast<double>(tn) / ratio_.num, tn / (g ? g : 1), ratio_.num / (g ? g : 1)});
  }
  return slots;
}

std::vector<OutputSlot> Timeline::slots_for_span(int64_t first, int64_t last) const {
  if (last - first <= 1) return slots_for_pair(first);
  const int64_t span = last - first;
  std::vector<OutputSlot> slots;
  for (int64_t i = first; i < last; ++i)
    for (const auto& s : slots_for_pair(i)) {
      // (i - first + t) / span
      const int64_t num = (i - first) * s.t_den + s.t_num, den = s.t_den * span;
      const int64_t g = std::gcd(num, den);
      slots.push_back({s.index, static_cast<double>(num) / den, num / g, den / g});
    }
  return slots;
}

bool dyadic_slots(const std::vector<OutputSlot>& slots) {
  for (const auto& s : slots)
    if (s.t_den & (s.t_den - 1)) return false;
  return true;
}

int64_t Timeline::output_count(int64_t inputs) const {
  if (one_at_) return inputs + 1;
  return (inputs * ratio_.num + ratio_.den - 1) / ratio_.den;
}

bool Timeline::dyadic(int* depth) const {
  if (one_at_) {
    const int64_t den = one_at_->den;
    if ((den & (den - 1)) != 0) return false;
    if (depth)
      for (*depth = 0; (int64_t{1} << *depth) < den;) ++*depth;
    return true;
  }
  // Every t has denominator dividing num/gcd; dyadic iff den == 1 and num is 2^e.
  if (ratio_.den != 1 || (ratio_.num & (ratio_.num - 1)) != 0) return false;
  if (depth) {
    int e = 0;
    while ((int64_t{1} << e) < ratio_.num) ++e;
    *depth = e;
  }
  return true;
}

RateRatio parse_rate(const std::string& text) {
  const auto slash = text.find('/');
  try {
    size_t used = 0;
    if (slash != std::string::npos) {
      const int64_t num = std::stoll(text.substr(0, slash), &used);
      if (used != slash) throw std::invalid_argument("");
      const std::string den_text = text.substr(slash + 1);
      const int64_t den = std::stoll(den_text, &used);
      if (used != den_text.size() || num <= 0 || den <= 0) throw std::invalid_argument("");
      return reduced(num, den);
    }
    const auto dot = text.find('.');
    const std::string digits = dot == std::string::npos ? text : text.substr(0, dot) + text.substr(dot + 1);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 15)
      throw std::invalid_argument("");
    int64_t den = 1;
    if (dot != std::string::npos)
      for (size_t i = dot + 1; i < text.size(); ++i) den *= 10;
    const int64_t num = std::stoll(digits);
    if (num <= 0) throw std::invalid_argument("");
    return reduced(num, den);
  } catch (const std::exception&) {
    throw Error("'" + text + "' is not a frame rate (e.g. 60, 59.94 or 60000/1001)");
  }
}

RateRatio parse_time(const std::string& text) {
  RateRatio t{0, 1};
  try {
    t = parse_rate(text);
  } catch (const Error&) {
  }
  if (t.num <= 0 || t.num >= t.den) throw Error("'" + text + "' is not a time strictly between 0 and 1");
  return t;
}

Timeline timeline_for(const RateRequest& request, int64_t in_num, int64_t in_den) {
  if (request.one_frame_at) return Timeline::one_between(*request.one_frame_at);
  return Timeline(in_num > 0 && in_den > 0 ? ratio_for(request, in_num, in_den) : request.factor);
}

RateRatio ratio_for(const RateRequest& request, int64_t in_num, int64_t in_den) {
  if (!request.target_fps) return request.factor;
  const RateRatio& target = *request.target_fps;
  // ratio = target / input = (tn/td) / (in_num/in_den)
  RateRatio r = reduced(target.num * in_den, target.den * in_num);
  if (r.num <= r.den)
    throw Error("the target rate " + std::to_string(target.num) + "/" + std::to_string(target.den) +
                " fps is not above the input rate " + std::to_string(in_num) + "/" + std::to_string(in_den));
  if (r.num > kMaxRateFactor * r.den)
    throw Error("the target rate " + std::to_string(target.num) + "/" + std::to_string(target.den) + " fps is over " +
                std::to_string(kMaxRateFactor) + " times the input rate " + std::to_string(in_num) + "/" +
                std::to_string(in_den));
  return r;
}

}  // namespace interp::pipeline
