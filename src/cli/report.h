#pragma once
/// What the user should know about an input after a run, at the default log level:
/// damage the decoders concealed, frames missing against what the file announced.
#include "interp/pipeline/job.h"

#include <string>

namespace interp::cli {

void report_input(const std::string& input, const pipeline::JobResult& result);

}  // namespace interp::cli
