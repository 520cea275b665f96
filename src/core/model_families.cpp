/// The table of model families. A new family is its own file (a ModelFamily and the
/// function that returns it) and one line here: a declaration and an entry below.
#include "interp/core/model_family.h"

#include <algorithm>

namespace interp {

const ModelFamily& rife_family();  // src/core/rife/rife_family.cpp
const ModelFamily& upr_family();   // src/core/upr/upr_family.cpp
const ModelFamily& film_family();  // src/core/film/film_family.cpp
const ModelFamily& convlstm_family();  // src/core/convlstm/convlstm_family.cpp

const std::vector<const ModelFamily*>& model_families() {
  static const std::vector<const ModelFamily*> table = {&rife_family(), &upr_family(), &film_family(), &convlstm_family()};
  return table;
}

const ModelFamily* family_named(const std::string& arch) {
  for (const ModelFamily* family : model_families())
    if (family->name() == arch) return family;
  return nullptr;
}

const ModelFamily* family_of_model(const std::string& model_name) {
  for (const ModelFamily* family : model_families())
    if (!family->model_named(model_name).empty()) return family;
  return nullptr;
}

std::vector<std::string> all_model_names() {
  std::vector<std::string> names;
  for (const ModelFamily* family : model_families())
    for (auto& name : family->model_names()) names.push_back(std::move(name));
  return names;
}

std::vector<double> all_scales() {
  std::vector<double> scales;
  for (const ModelFamily* family : model_families())
    for (double s : family->scales())
      if (std::find(scales.begin(), scales.end(), s) == scales.end()) scales.push_back(s);
  std::sort(scales.begin(), scales.end());
  return scales;
}

std::string joined_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace interp
