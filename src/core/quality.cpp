/// Quality mode names.
#include "interp/core/quality.h"

namespace interp {
namespace {

struct Named {
  Quality quality;
  const char* name;
};
constexpr Named kNames[] = {
    {Quality::kFast, "fast"}, {Quality::kRefine, "refine"}, {Quality::kEnsemble, "ensemble"}, {Quality::kBest, "best"}};

}  // namespace

const char* quality_name(Quality quality) {
  for (const auto& n : kNames)
    if (n.quality == quality) return n.name;
  return "?";
}

std::optional<Quality> quality_by_name(const std::string& name) {
  for (const auto& n : kNames)
    if (name == n.name) return n.quality;
  return std::nullopt;
}

std::vector<std::string> quality_names() {
  std::vector<std::string> names;
  for (const auto& n : kNames) names.emplace_back(n.name);
  return names;
}

}  // namespace interp
