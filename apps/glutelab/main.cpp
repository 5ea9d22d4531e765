// glutelab command-line tool: parses, calls the library and prints; no science lives here.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "glutelab/io/input_error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"glutelab: an OpenSim-compatible engine for the gluteal muscles"};
  app.require_subcommand(1);
  // Parse errors (a value not among the choices, not a number, out of a range) as one "error:" line too.
  app.failure_message(
      [](const CLI::App* a, const CLI::Error& e) { return "error: " + CLI::FailureMessage::simple(a, e); });
  glutelab::cli::add_inspect_command(app);
  glutelab::cli::add_muscle_analysis_command(app);
  glutelab::cli::add_inverse_dynamics_command(app);
  glutelab::cli::add_static_optimization_commands(app);
  glutelab::cli::add_exercise_commands(app);
  glutelab::cli::add_sweep_command(app);
  glutelab::cli::add_report_command(app);
  glutelab::cli::add_simulate_command(app);
  glutelab::cli::add_claims_command(app);
  glutelab::cli::add_run_command(app);
  glutelab::cli::add_scale_command(app);
  glutelab::cli::add_bench_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const glutelab::InputError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
