#pragma once
/// How much of a model's network runs: RIFE's reference has two quality switches
/// (`fastmode=False` runs v3.9's refinement net, `ensemble=True` averages every block
/// with a pass on the swapped pair). Named here once for the CLI, bench and reports.
#include <optional>
#include <string>
#include <vector>

namespace interp {

enum class Quality {
  kFast,      ///< the flow blocks alone (the reference's default)
  kRefine,    ///< + the refinement net (v3.9 files that hold it)
  kEnsemble,  ///< + the swapped-pair average in every block (about 2x the flow work)
  kBest,      ///< refine + ensemble
};

const char* quality_name(Quality quality);
std::optional<Quality> quality_by_name(const std::string& name);
std::vector<std::string> quality_names();

inline bool refines(Quality q) { return q == Quality::kRefine || q == Quality::kBest; }
inline bool ensembles(Quality q) { return q == Quality::kEnsemble || q == Quality::kBest; }
inline Quality quality_of(bool refine, bool ensemble) {
  return refine ? (ensemble ? Quality::kBest : Quality::kRefine) : (ensemble ? Quality::kEnsemble : Quality::kFast);
}

}  // namespace interp
