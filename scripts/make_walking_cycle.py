#!/usr/bin/env python3
"""Writes src/glutelab/exercise/walking_cycle.cpp: one right-heel-strike-to-right-heel-strike cycle of
the OpenCap walking trial (shared/data/opencap/Moco/exampleWalking/walking1_videoAndMocap.mot,
Apache-2.0, stanfordnmbl/opencap-processing), resampled to 101 points (0 %, 1 %, ..., 100 % of the cycle).

Usage: python3 scripts/make_walking_cycle.py --shared ../shared && clang-format -i src/glutelab/exercise/walking_cycle.cpp
(standard library only)

The trial holds one right heel strike and less than two full cycles, so the cycle is rebuilt around
it. Heel strikes are found without the model, after Zeni et al. (2008, Gait Posture 27:710): a heel
strike is a maximum of the foot's forward distance from the pelvis, here the ankle of a planar
two-segment leg (thigh 0.42 m, shank 0.43 m; only the timing of the maximum matters) driven by pelvis
tilt, hip flexion and knee angle. The period T is the lag that makes s(t + T) - s(t) most constant
over the angles; each column's drift (heading, progression, lateral walk) is its mean change over T.
The cycle at phase p is the drift-free signal at t_hs + p T, or one period earlier past the end of
the recording, cross-faded where both exist so the seam does not jump. pelvis_tx is replaced by the
mean forward speed, pelvis_tz is stored with its mean removed, pelvis_ty is not stored (the generator
derives the pelvis height from the model's legs), and the mean pelvis height above the floor (the floor that
`glutelab analyze --motion` estimates for this trial, --floor) is the leg-length scale for the speed.
"""
import argparse
import bisect
import math
import os

SOURCE = "opencap/Moco/exampleWalking/walking1_videoAndMocap.mot"
SKIP = {"pelvis_tx", "pelvis_ty", "pelvis_tz", "knee_angle_r_beta", "knee_angle_l_beta"}


def read_mot(path):
    with open(path) as f:
        lines = f.read().splitlines()
    end = next(i for i, l in enumerate(lines) if l.strip().lower() == "endheader")
    labels = lines[end + 1].split()
    rows = [[float(v) for v in l.split()] for l in lines[end + 2:] if l.strip()]
    return labels, rows


def ankle_forward(col, k, side):
    tilt = math.radians(col["pelvis_tilt"][k])
    hip = math.radians(col["hip_flexion_" + side][k])
    knee = math.radians(col["knee_angle_" + side][k])
    thigh = tilt + hip
    return 0.42 * math.sin(thigh) + 0.43 * math.sin(thigh - knee)


def maxima(values):
    return [k for k in range(1, len(values) - 1) if values[k] > values[k - 1] and values[k] >= values[k + 1]]


def interp(t, y, tq):
    out = []
    for q in tq:
        j = min(max(bisect.bisect_right(t, q) - 1, 0), len(t) - 2)
        u = (q - t[j]) / (t[j + 1] - t[j])
        out.append(y[j] + u * (y[j + 1] - y[j]))
    return out


def refine_peak(t, v, k):
    """Time of the parabola's vertex through the samples k-1, k, k+1."""
    a, b, c = v[k - 1], v[k], v[k + 1]
    d = a - 2 * b + c
    off = 0.5 * (a - c) / d if d != 0 else 0.0
    return t[k] + off * (t[k + 1] - t[k])


def period(t, col, names):
    """The gait cycle period: the lag T (0.9-1.45 s) that makes s(t + T) - s(t) most constant over
    the angles (a drift adds a constant), and each column's drift rate at that lag."""
    dt = t[1] - t[0]
    best = None
    for lag in range(int(0.9 / dt), int(1.45 / dt) + 1):
        cost = 0.0
        for n in names:
            d = [col[n][k + lag] - col[n][k] for k in range(len(t) - lag)]
            m = sum(d) / len(d)
            cost += sum((v - m) ** 2 for v in d) / len(d)
        if best is None or cost < best[0]:
            best = (cost, lag)
    lag = best[1]
    T = lag * dt

    def drift(n):
        d = [col[n][k + lag] - col[n][k] for k in range(len(t) - lag)]
        return sum(d) / len(d) / T

    return T, drift


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--floor", type=float, default=-0.0099,
                    help="floor height of the trial (m), as glutelab analyze --motion estimates it")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "src", "glutelab",
                                                  "exercise", "walking_cycle.cpp"))
    a = ap.parse_args()
    labels, rows = read_mot(os.path.join(a.shared, "data", SOURCE))
    col = {n: [r[i] for r in rows] for i, n in enumerate(labels)}
    t = col["time"]
    right = [ankle_forward(col, k, "r") for k in range(len(t))]
    left = [ankle_forward(col, k, "l") for k in range(len(t))]
    hs_r = [refine_peak(t, right, k) for k in maxima(right)]
    hs_l = [refine_peak(t, left, k) for k in maxima(left)]
    names = [n for n in labels[1:] if n not in SKIP]
    T, drift = period(t, col, names)
    t_hs = hs_r[-1]  # the recording holds one right heel strike: the cycle is rebuilt around it
    left_hs = next(x for x in hs_l if x < t_hs)
    # Periodic part of every column: the signal less its linear drift (heading, progression). The
    # cycle at phase p is the periodic part at t1 = t_hs + p T or at t1 - T, one period earlier, where
    # the recording has them; where it has both (the last 1.57 s - T of it), they are cross-faded
    # linearly over that overlap so that the seam does not jump.
    lo, hi = t[0] + T, t[-1]
    table = {}
    for n in names + ["pelvis_tz", "pelvis_tx", "pelvis_ty"]:
        d = drift(n)
        y = []
        for i in range(101):
            t1 = t_hs + T * i / 100.0
            v1 = interp(t, col[n], [t1])[0] - d * (t1 - t_hs) if t1 <= t[-1] else None
            v2 = interp(t, col[n], [t1 - T])[0] - d * (t1 - T - t_hs) if t1 - T >= t[0] else None
            if v1 is None:
                y.append(v2)
            elif v2 is None:
                y.append(v1)
            else:
                lam = min(max((t1 - lo) / (hi - lo), 0.0), 1.0)
                y.append((1.0 - lam) * v1 + lam * v2)
        y[100] = y[0]
        table[n] = y
    speed = drift("pelvis_tx")
    mean_ty = sum(table["pelvis_ty"][:100]) / 100.0
    mean_tz = sum(table["pelvis_tz"][:100]) / 100.0
    tz = [v - mean_tz for v in table["pelvis_tz"]]
    with open(a.out, "w") as f:
        f.write("// Generated by scripts/make_walking_cycle.py from ../shared/data/" + SOURCE + "\n")
        f.write("// (stanfordnmbl/opencap-processing, Apache-2.0; see data/SOURCE.md). Do not edit.\n")
        f.write('#include "glutelab/exercise/walking_cycle.hpp"\n\nnamespace glutelab::exercise_detail {\n\n')
        f.write("const WalkingCycle& recorded_walking_cycle() {\n  static const WalkingCycle cycle{\n")
        f.write("      %.6f,  // duration_s: right heel strike to right heel strike\n" % T)
        f.write("      %.6f,  // forward_speed_m_s\n" % speed)
        f.write("      %.6f,  // mean_pelvis_height_m: recorded pelvis_ty above the floor\n" % (mean_ty - a.floor))
        f.write("      %.6f,  // left_heel_strike: fraction of the cycle\n" % ((left_hs + T - t_hs) / T))
        f.write("      {")
        f.write(", ".join("%.6f" % v for v in tz))
        f.write("},  // pelvis_tz_m, mean removed\n      {\n")
        for n in names:
            f.write('          {"%s",\n           {' % n)
            vals = ["%.4f" % v for v in table[n]]
            for i in range(0, 101, 10):
                f.write(", ".join(vals[i:i + 10]))
                f.write(",\n            " if i + 10 < 101 else "}},\n")
        f.write("      }};\n  return cycle;\n}\n\n}  // namespace glutelab::exercise_detail\n")
    print("cycle %.3f s around the right heel strike at t = %.3f s, speed %.3f m/s, left heel strike at "
          "%.1f %%, %d coordinates -> %s" % (T, t_hs, speed, 100 * (left_hs + T - t_hs) / T, len(names), a.out))


if __name__ == "__main__":
    main()
