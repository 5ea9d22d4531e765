#!/usr/bin/env bash
# Installs dependencies, builds glutelab and runs the main job on the shipped model and motion:
# a muscle analysis of the gait2392 walking trial (lengths and moment arms of 92 muscles).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DGLUTELAB_BUILD_TESTS=OFF
cmake --build build --target glutelab_cli
./build/glutelab muscle-analysis --out glutelab-output/muscle-analysis "$@"
