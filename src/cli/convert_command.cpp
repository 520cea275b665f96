/// `interp convert IN OUT.safetensors`: an official weight file (flownet.pkl, FILM's
/// TorchScript .pt, a .safetensors) checked by running it, then written in interp's
/// format with where it came from.
#include "commands.h"

#include "interp/base/error.h"
#include "interp/io/output_file.h"
#include "log.h"

#include <filesystem>
#include <memory>

namespace interp::cli {
namespace {

struct ConvertSettings {
  std::string input, output, source;
};

int run_convert(const SharedSettings& shared, const ConvertSettings& c) {
  namespace fs = std::filesystem;
  if (fs::path(c.output).extension() != ".safetensors") throw Error(c.output + ": the output must end in .safetensors");
  io::PendingOutput pending(c.output, io::PendingOutput::Kind::File, shared.overwrite, {c.input});
  const auto weights = read_model_weights(c.input, shared.model.model.variant);
  check_model_runs(weights, c.input);  // a file that cannot run must never land in models/
  write_model_file(pending.temp_path(), weights, c.source.empty() ? fs::path(c.input).filename().string() : c.source);
  pending.commit();
  log::info(c.output + ": " + weights.arch + " " + weights.variant + " (" + std::to_string(weights.tensors.size()) +
            " tensors)");
  return 0;
}

}  // namespace

void add_convert_command(CLI::App& root, SharedSettings& shared, Run& run) {
  const auto settings = std::make_shared<ConvertSettings>();  // lives as long as `run`
  ConvertSettings& c = *settings;
  auto* convert = root.add_subcommand("convert", "write interp's .safetensors model file from official weights");
  convert->add_option("IN", c.input, "flownet.pkl / upr-base.pkl / .pth / FILM .pt / .safetensors")->required()->check(CLI::ExistingFile);
  convert->add_option("OUT", c.output, "output .safetensors")->required()->group(kOutputGroup);
  convert->add_option("--source", c.source, "where the weights came from, kept in the file (default: IN's name)");
  add_variant_option(*convert, shared.model.model.variant);
  add_overwrite_options(*convert, shared.overwrite);
  convert->fallthrough();
  convert->callback([&shared, &run, settings] { run = [&shared, settings] { return run_convert(shared, *settings); }; });
}

}  // namespace interp::cli
