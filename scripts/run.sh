#!/usr/bin/env bash
# Installs dependencies, builds glutelab and runs the main job: the HTML report of every exercise for a
# default body (1.75 m, 75 kg, male) in glutelab-output/report/, then the muscle analysis of the shipped
# gait2392 walking trial in glutelab-output/muscle-analysis/. Extra arguments go to `glutelab report`
# (e.g. --height 1.62 --mass 58 --sex female).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DGLUTELAB_BUILD_TESTS=OFF
cmake --build build --target glutelab_cli
./build/glutelab report --height 1.75 --mass 75 --sex male --out glutelab-output/report "$@"
./build/glutelab muscle-analysis --out glutelab-output/muscle-analysis
echo
echo "report: open $(pwd)/glutelab-output/report/report.html in a web browser"
