// `glutelab simulate ...`: the dysfunction simulator's subcommands (weak or inhibited muscles,
// Trendelenburg, valgus collapse, tight hip flexors), each registered from its own cmd_simulate_*.cpp.
#include "commands.hpp"

namespace glutelab::cli {

void add_simulate_command(CLI::App& app) {
  CLI::App* simulate = app.add_subcommand(
      "simulate",
      "Simulate a dysfunction of the brief (weak or asleep glutes, Trendelenburg, valgus, tight "
      "hip flexors) on the glute model and compare it with the healthy body");
  simulate->require_subcommand(1);
  // One line per simulator (cmd_simulate_*.cpp):
  add_simulate_weak_command(*simulate);
  add_simulate_tight_flexors_command(*simulate);
  add_simulate_trendelenburg_command(*simulate);
  add_simulate_valgus_command(*simulate);
}

}  // namespace glutelab::cli
