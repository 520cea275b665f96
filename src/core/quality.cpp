/// Quality mode names.
#include "interp/core/quality.h"

#include "interp/base/name_table.h"

namespace interp {
namespace {

constexpr NamedValue<Quality> kNames[] = {
    {Quality::kFast, "fast"}, {Quality::kRefine, "refine"}, {Quality::kEnsemble, "ensemble"}, {Quality::kBest, "best"}};

}  // namespace

const char* quality_name(Quality quality) { return name_in(kNames, quality); }
std::optional<Quality> quality_by_name(const std::string& name) { return value_named(kNames, name); }
std::vector<std::string> quality_names() { return names_in(kNames); }

}  // namespace interp
