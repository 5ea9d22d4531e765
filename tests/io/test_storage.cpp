// Tests of the .sto/.mot reader and writer and the .trc reader: the accepted header forms, every error
// with its line/column, a write/read round trip, and every such file in the shared data.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "glutelab/io/input_error.hpp"
#include "glutelab/io/storage.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

namespace fs = std::filesystem;

fs::path write_file(const fs::path& dir, const std::string& name, const std::string& text) {
  const fs::path path = dir / name;
  std::ofstream out(path, std::ios::binary);
  out << text;
  return path;
}

/// Runs `action`, expects an InputError and returns it (line/column/message checked by the caller).
InputError expect_input_error(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an InputError";
  return InputError("", "none");
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const char* kVersion1 =
    "Coordinates\n"
    "version=1\n"
    "nRows=3\n"
    "nColumns=3\n"
    "inDegrees=yes\n"
    "\n"
    "Units are S.I. units (second, meters, Newtons, ...)\n"
    "DataRate=100\n"
    "endheader\n"
    "time\tknee_angle_r\tpelvis_tx\n"
    "0.00\t10.5\t-0.25\n"
    "0.01\t11\t-0.2500001\n"
    "0.02\t-3e-2\t1E+1\n";

TEST(StorageRead, VersionOneHeaderWithTabs) {
  const auto dir = test::temp_dir("storage_v1");
  const TimeTable t = read_storage(write_file(dir, "a.sto", kVersion1));
  EXPECT_EQ(t.name, "Coordinates");
  ASSERT_EQ(t.labels, (std::vector<std::string>{"knee_angle_r", "pelvis_tx"}));
  ASSERT_EQ(t.rows(), 3);
  EXPECT_EQ(t.time_s, (std::vector<double>{0.0, 0.01, 0.02}));
  EXPECT_TRUE(t.in_degrees);
  EXPECT_EQ(t.values(0, 0), 10.5);
  EXPECT_EQ(t.values(1, 1), -0.2500001);
  EXPECT_EQ(t.values(2, 0), -0.03);
  EXPECT_EQ(t.values(2, 1), 10.0);
  EXPECT_EQ(t.column("pelvis_tx"), 1);
  EXPECT_EQ(t.column("nope"), -1);
  EXPECT_EQ(t.metadata.at("DataRate"), "100");
  EXPECT_EQ(t.metadata.count("nRows"), 0u);
}

TEST(StorageRead, OldSimmHeaderSpacesAndMotDefaultsToDegrees) {
  const auto dir = test::temp_dir("storage_old");
  const std::string text =
      "name walk.mot\t\t\t\n"
      "datacolumns 3\t\t\n"
      "datarows 2\n"
      "range 0.000000 1.000000\n"
      "endheader\t\t\t\n"
      "      time   hip_flexion_r    knee_angle_r\n"
      "  0.0    1.0    2.0\n"
      "  1.0    3.0    4.0   \n";
  const TimeTable mot = read_storage(write_file(dir, "walk.mot", text));
  EXPECT_EQ(mot.name, "walk.mot");
  EXPECT_TRUE(mot.in_degrees);  // OpenSim: a .mot without version is a SIMM motion, in degrees
  ASSERT_EQ(mot.labels, (std::vector<std::string>{"hip_flexion_r", "knee_angle_r"}));
  EXPECT_EQ(mot.values(1, 1), 4.0);
  EXPECT_EQ(mot.metadata.at("range"), "0.000000 1.000000");
  // The same content as .sto: no such rule, radians.
  const TimeTable sto = read_storage(write_file(dir, "walk.sto", text));
  EXPECT_FALSE(sto.in_degrees);
}

TEST(StorageRead, NameLineThenCountsThenSimmBlock) {
  // The shape of an old IK output: name line, nRows/nColumns, then a SIMM header block.
  const auto dir = test::temp_dir("storage_mixed");
  const std::string text =
      "first trial\nnRows=2\nnColumns=2\n\n# SIMM Motion File Header:\nname first trial\ndatacolumns 2\n"
      "datarows 2\notherdata 1\nrange 0.5 0.6\nendheader\ntime\tq\n0.5\t1\n0.6\t2\n";
  const TimeTable t = read_storage(write_file(dir, "old.mot", text));
  EXPECT_EQ(t.name, "first trial");
  EXPECT_EQ(t.rows(), 2);
  EXPECT_EQ(t.values(1, 0), 2.0);
}

TEST(StorageRead, CrlfBlankLinesAndTrailingTabs) {
  const auto dir = test::temp_dir("storage_crlf");
  const std::string text =
      "\xEF\xBB\xBFname\r\nversion=1\r\nnRows=2\r\nnColumns=2\r\ninDegrees=no\r\nendheader\r\n\r\n"
      "time\tq\t\r\n0\t1.5\t\r\n\r\n1\t2.5\r\n\r\n";
  const TimeTable t = read_storage(write_file(dir, "crlf.sto", text));
  EXPECT_FALSE(t.in_degrees);
  ASSERT_EQ(t.labels, std::vector<std::string>{"q"});
  ASSERT_EQ(t.rows(), 2);
  EXPECT_EQ(t.values(0, 0), 1.5);
  EXPECT_EQ(t.values(1, 0), 2.5);
}

TEST(StorageErrors, MissingAndEmptyFiles) {
  const auto dir = test::temp_dir("storage_err_missing");
  const InputError missing = expect_input_error([&] { read_storage(dir / "absent.sto"); });
  EXPECT_TRUE(contains(missing.what(), "absent.sto"));
  EXPECT_TRUE(contains(missing.message(), "not found"));
  const InputError empty = expect_input_error([&] { read_storage(write_file(dir, "e.sto", "")); });
  EXPECT_TRUE(contains(empty.message(), "empty"));
  const InputError blank = expect_input_error([&] { read_storage(write_file(dir, "b.sto", "\n \n\t\n")); });
  EXPECT_TRUE(contains(blank.message(), "empty"));
}

TEST(StorageErrors, NoEndheader) {
  const auto dir = test::temp_dir("storage_err_endheader");
  const InputError e =
      expect_input_error([&] { read_storage(write_file(dir, "n.sto", "x\nversion=1\ntime\tq\n0\t1\n")); });
  EXPECT_TRUE(contains(e.message(), "endheader"));
  EXPECT_EQ(e.line(), 4);
}

TEST(StorageErrors, WrongNumberOfFieldsNamesLineAndCounts) {
  const auto dir = test::temp_dir("storage_err_fields");
  const std::string text = "x\nversion=1\nendheader\ntime\ta\tb\n0\t1\t2\n0.1\t1\n";
  const InputError e = expect_input_error([&] { read_storage(write_file(dir, "f.sto", text)); });
  EXPECT_EQ(e.line(), 6);
  EXPECT_TRUE(contains(e.message(), "expected 3 got 2")) << e.what();
  EXPECT_TRUE(contains(e.what(), "f.sto:6"));
  const std::string extra = "x\nversion=1\nendheader\ntime\ta\n0\t1\t2\n";
  const InputError e2 = expect_input_error([&] { read_storage(write_file(dir, "g.sto", extra)); });
  EXPECT_EQ(e2.line(), 5);
  EXPECT_EQ(e2.column(), 5);  // the surplus field
  EXPECT_TRUE(contains(e2.message(), "expected 2 got 3"));
}

TEST(StorageErrors, NonNumericAndNonFiniteFieldsNameTheColumn) {
  const auto dir = test::temp_dir("storage_err_numbers");
  const InputError word = expect_input_error(
      [&] { read_storage(write_file(dir, "w.sto", "x\nendheader\ntime\ta\tb\n0\t1\t2\n1\t1\tabc\n")); });
  EXPECT_EQ(word.line(), 5);
  EXPECT_EQ(word.column(), 5);
  EXPECT_TRUE(contains(word.message(), "'b'"));
  EXPECT_TRUE(contains(word.message(), "expected a number"));
  const InputError partial =
      expect_input_error([&] { read_storage(write_file(dir, "p.sto", "x\nendheader\ntime\ta\n0\t1.5x\n")); });
  EXPECT_EQ(partial.column(), 3);
  for (const char* bad : {"nan", "NaN", "inf", "-inf", "1e999"}) {
    const InputError e = expect_input_error([&] {
      read_storage(write_file(dir, "n.sto", std::string("x\nendheader\ntime\ta\n0\t1\n1\t") + bad + "\n"));
    });
    EXPECT_EQ(e.line(), 5) << bad;
    EXPECT_EQ(e.column(), 3) << bad;
    EXPECT_TRUE(contains(e.message(), "finite")) << bad << ": " << e.what();
  }
}

TEST(StorageErrors, TimeMustIncreaseStrictly) {
  const auto dir = test::temp_dir("storage_err_time");
  const InputError same = expect_input_error(
      [&] { read_storage(write_file(dir, "t.sto", "x\nendheader\ntime\ta\n0\t1\n0.1\t1\n0.1\t2\n")); });
  EXPECT_EQ(same.line(), 6);
  EXPECT_EQ(same.column(), 1);
  EXPECT_TRUE(contains(same.message(), "strictly increasing"));
  const InputError back = expect_input_error(
      [&] { read_storage(write_file(dir, "u.sto", "x\nendheader\ntime\ta\n0\t1\n-1\t1\n")); });
  EXPECT_EQ(back.line(), 5);
}

TEST(StorageErrors, HeaderCountsMustMatch) {
  const auto dir = test::temp_dir("storage_err_counts");
  const InputError cols = expect_input_error(
      [&] { read_storage(write_file(dir, "c.sto", "x\nnColumns=3\nendheader\ntime\ta\n0\t1\n")); });
  EXPECT_EQ(cols.line(), 4);
  EXPECT_TRUE(contains(cols.message(), "nColumns=3"));
  // A stale row count is tolerated (OpenSim reads such files) and reported in the metadata.
  const TimeTable rows =
      read_storage(write_file(dir, "r.sto", "x\nnRows=3\nendheader\ntime\ta\n0\t1\n1\t2\n"));
  EXPECT_EQ(rows.rows(), 2);
  EXPECT_EQ(rows.metadata.at("header_nRows"), "3");
  const InputError degrees = expect_input_error(
      [&] { read_storage(write_file(dir, "d.sto", "x\ninDegrees=maybe\nendheader\ntime\ta\n0\t1\n")); });
  EXPECT_EQ(degrees.line(), 2);
  const InputError nrows = expect_input_error(
      [&] { read_storage(write_file(dir, "k.sto", "x\nnRows=two\nendheader\ntime\ta\n0\t1\n")); });
  EXPECT_EQ(nrows.line(), 2);
  const InputError labels =
      expect_input_error([&] { read_storage(write_file(dir, "l.sto", "x\nendheader\n0\t1\n1\t2\n")); });
  EXPECT_EQ(labels.line(), 3);
  EXPECT_TRUE(contains(labels.message(), "column-label"));
}

TEST(StorageErrors, FileLargerThanLimitIsRejectedBeforeReading) {
  const auto dir = test::temp_dir("storage_err_size");
  const fs::path file = write_file(dir, "big.sto", kVersion1);
  const InputError e = expect_input_error([&] { read_storage(file, 64); });
  EXPECT_TRUE(contains(e.message(), "limit of 64 bytes"));
  EXPECT_NO_THROW(read_storage(file, fs::file_size(file)));
}

TEST(StorageWrite, RoundTripIsExactAndLeavesNoTemporaryFile) {
  const auto dir = test::temp_dir("storage_write");
  TimeTable table;
  table.name = "Round trip";
  table.labels = {"hip_flexion_r", "knee_angle_r", "pelvis_ty"};
  table.time_s = {0.0, 0.1, 0.30000000000000004, 1e-3 + 1.0};
  table.values.resize(4, 3);
  table.values << 0.1, -2.5e-17, 3.0, 1.0 / 3.0, 123456789.123456789, -0.0, std::sqrt(2.0), 6.02214076e23,
      1e-300, -1.0, 0.5, 2.0;
  table.in_degrees = true;
  table.metadata["DataRate"] = "100";
  const fs::path file = dir / "out.sto";
  write_storage(file, table);
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 1);
  const TimeTable back = read_storage(file);
  EXPECT_EQ(back.name, table.name);
  EXPECT_EQ(back.labels, table.labels);
  EXPECT_EQ(back.time_s, table.time_s);
  EXPECT_TRUE(back.in_degrees);
  ASSERT_EQ(back.values.rows(), 4);
  ASSERT_EQ(back.values.cols(), 3);
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 3; ++c) EXPECT_EQ(back.values(r, c), table.values(r, c)) << r << "," << c;
  }
  EXPECT_EQ(back.metadata.at("DataRate"), "100");
  // Overwriting an existing file works (rename replaces it).
  table.values(0, 0) = 42.0;
  write_storage(file, table);
  EXPECT_EQ(read_storage(file).values(0, 0), 42.0);
}

TEST(StorageWrite, HeaderHasOpenSimsLayout) {
  const auto dir = test::temp_dir("storage_layout");
  TimeTable table;
  table.name = "Inverse Dynamics";
  table.labels = {"a_moment", "b_force"};
  table.time_s = {0.5, 0.75};
  table.values.resize(2, 2);
  table.values << 1.0, 2.0, 3.0, 4.0;
  const fs::path file = dir / "id.sto";
  write_storage(file, table);
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  // The layout OpenSim 4.6 writes (see the reference outputs in the shared data): name, version=1,
  // nRows, nColumns (time included), inDegrees, endheader, then tab-separated labels and rows.
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(lines[0], "Inverse Dynamics");
  EXPECT_EQ(lines[1], "version=1");
  EXPECT_EQ(lines[2], "nRows=2");
  EXPECT_EQ(lines[3], "nColumns=3");
  EXPECT_EQ(lines[4], "inDegrees=no");
  EXPECT_EQ(lines[5], "endheader");
  EXPECT_EQ(lines[6], "time\ta_moment\tb_force");
  EXPECT_EQ(lines[7], "0.5\t1\t2");
  EXPECT_EQ(lines[8], "0.75\t3\t4");

  const fs::path reference = test::shared_data(
      "opensim-models/reference-opensim-4.6/gait2392_pipeline_inverse_dynamics/"
      "InverseDynamicsOutput.sto");
  if (!fs::exists(reference)) GTEST_SKIP() << "shared data absent";
  std::ifstream ref(reference);
  std::vector<std::string> ref_lines;
  for (std::string line; ref_lines.size() < 7 && std::getline(ref, line);) ref_lines.push_back(line);
  EXPECT_EQ(ref_lines[1], "version=1");
  EXPECT_EQ(ref_lines[2].rfind("nRows=", 0), 0u);
  EXPECT_EQ(ref_lines[3].rfind("nColumns=", 0), 0u);
  EXPECT_EQ(ref_lines[4].rfind("inDegrees=", 0), 0u);
  EXPECT_EQ(ref_lines[5], "endheader");
  EXPECT_EQ(ref_lines[6].rfind("time\t", 0), 0u);
  // Re-writing OpenSim's file and reading it back gives the same table.
  const TimeTable original = read_storage(reference);
  write_storage(dir / "copy.sto", original);
  const TimeTable copy = read_storage(dir / "copy.sto");
  EXPECT_EQ(copy.labels, original.labels);
  EXPECT_EQ(copy.time_s, original.time_s);
  EXPECT_TRUE(copy.values == original.values);
}

TEST(StorageWrite, RejectsInconsistentTables) {
  const auto dir = test::temp_dir("storage_write_bad");
  TimeTable table;
  table.labels = {"a"};
  table.time_s = {0.0};
  table.values.resize(1, 2);
  table.values << 1.0, 2.0;
  EXPECT_THROW(write_storage(dir / "x.sto", table), std::invalid_argument);
  table.values.resize(1, 1);
  table.values(0, 0) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(write_storage(dir / "x.sto", table), std::invalid_argument);
  EXPECT_FALSE(fs::exists(dir / "x.sto"));
}

const char* kTrc =
    "PathFileType\t4\t(X/Y/Z)\tsmall.trc\n"
    "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames\n"
    "100.0\t\t100.0\t3\t2\tmm\t100\t1\t3\n"
    "Frame#\tTime\tR.ASIS\t\t\tL Heel\t\t\n"
    "\t\tX1\tY1\tZ1\tX2\tY2\tZ2\n"
    "\n"
    "1\t0.00\t1000\t-20.5\t3\t4\t5\t6\n"
    "2\t0.01\t1001\t-20\t3\t\t\t\n"
    "3\t0.02\t1002\t-19.5\t3\t7\t8\t9\t\n";

TEST(TrcRead, MarkersInMetresWithMissingSamples) {
  const auto dir = test::temp_dir("trc_small");
  const MarkerTable m = read_trc(write_file(dir, "small.trc", kTrc));
  EXPECT_EQ(m.marker_names, (std::vector<std::string>{"R.ASIS", "L Heel"}));
  EXPECT_EQ(m.units, "mm");
  EXPECT_DOUBLE_EQ(m.data_rate_hz, 100.0);
  ASSERT_EQ(m.time_s.size(), 3u);
  EXPECT_EQ(m.time_s[2], 0.02);
  ASSERT_EQ(m.positions_m.rows(), 3);
  ASSERT_EQ(m.positions_m.cols(), 6);
  EXPECT_DOUBLE_EQ(m.positions_m(0, 0), 1.0);
  EXPECT_DOUBLE_EQ(m.positions_m(0, 1), -0.0205);
  EXPECT_DOUBLE_EQ(m.positions_m(2, 5), 0.009);
  EXPECT_EQ(m.marker_index("L Heel"), 1);
  EXPECT_EQ(m.marker_index("nope"), -1);
  EXPECT_FALSE(m.missing(0, 1));
  EXPECT_TRUE(m.missing(1, 1));
  EXPECT_TRUE(std::isnan(m.positions_m(1, 3)));
  EXPECT_FALSE(m.missing(1, 0));
}

TEST(TrcRead, ErrorsNameLineAndColumn) {
  const auto dir = test::temp_dir("trc_errors");
  std::string bad_number = kTrc;
  bad_number.replace(bad_number.find("1001"), 4, "10x1");
  const InputError e = expect_input_error([&] { read_trc(write_file(dir, "a.trc", bad_number)); });
  EXPECT_EQ(e.line(), 8);
  EXPECT_EQ(e.column(), 8);
  EXPECT_TRUE(contains(e.message(), "R.ASIS"));
  std::string extra = kTrc;
  extra += "4\t0.03\t1\t2\t3\t4\t5\t6\t7\n";
  const InputError e2 = expect_input_error([&] { read_trc(write_file(dir, "b.trc", extra)); });
  EXPECT_EQ(e2.line(), 10);
  EXPECT_TRUE(contains(e2.message(), "expected 8"));
  std::string units = kTrc;
  units.replace(units.find("mm"), 2, "ft");
  EXPECT_TRUE(
      contains(expect_input_error([&] { read_trc(write_file(dir, "c.trc", units)); }).message(), "Units"));
  const InputError e4 = expect_input_error([&] { read_trc(write_file(dir, "d.trc", "hello\n")); });
  EXPECT_EQ(e4.line(), 1);
  std::string time_back = kTrc;
  time_back.replace(time_back.find("0.02"), 4, "0.00");
  EXPECT_EQ(expect_input_error([&] { read_trc(write_file(dir, "e.trc", time_back)); }).line(), 9);
}

/// Header counts written in a .sto/.mot header (nRows/nColumns or datarows/datacolumns), read here
/// independently of the reader.
std::map<std::string, int> header_counts(const fs::path& file) {
  std::ifstream in(file);
  std::map<std::string, int> counts;
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string first;
    words >> first;
    if (first.rfind("endheader", 0) == 0) break;
    for (const char* key : {"nRows", "nColumns"}) {
      const std::string prefix = std::string(key) + "=";
      if (first.rfind(prefix, 0) == 0) counts[key] = std::stoi(first.substr(prefix.size()));
    }
    int n = 0;
    if (first == "datarows" && (words >> n)) counts["nRows"] = n;
    if (first == "datacolumns" && (words >> n)) counts["nColumns"] = n;
  }
  return counts;
}

/// Non-blank lines after the column-label line that follows endheader.
int count_data_lines(const fs::path& file) {
  std::ifstream in(file);
  int state = 0, count = 0;  // 0 header, 1 before labels, 2 data
  for (std::string line; std::getline(in, line);) {
    const bool blank = line.find_first_not_of(" \t\r") == std::string::npos;
    if (state == 0 && line.rfind("endheader", 0) == 0) {
      state = 1;
    } else if (state == 1 && !blank) {
      state = 2;
    } else if (state == 2 && !blank) {
      ++count;
    }
  }
  return count;
}

TEST(StorageSharedData, EveryStoMotAndTrcFileLoads) {
  const fs::path root = test::shared_data("");
  if (!fs::exists(root)) GTEST_SKIP() << "shared data absent";
  int storages = 0, trcs = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::string ext = entry.path().extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".sto" || ext == ".mot") {
      ++storages;
      try {
        const TimeTable t = read_storage(entry.path());
        const auto counts = header_counts(entry.path());
        EXPECT_EQ(t.rows(), count_data_lines(entry.path())) << entry.path();
        if (counts.count("nRows") && t.rows() != counts.at("nRows")) {
          // Only this file in the shared data has a stale row count (datarows 901, 601 rows present).
          EXPECT_EQ(entry.path().filename(), "subject02_running_grf.mot");
          EXPECT_EQ(t.metadata.at("header_nRows"), std::to_string(counts.at("nRows")));
        }
        if (counts.count("nColumns")) {
          EXPECT_EQ(static_cast<int>(t.labels.size()) + 1, counts.at("nColumns")) << entry.path();
        }
        EXPECT_EQ(t.values.rows(), t.rows());
        EXPECT_GT(t.rows(), 0) << entry.path();
      } catch (const InputError& e) {
        ADD_FAILURE() << e.what();
      }
    } else if (ext == ".trc") {
      ++trcs;
      try {
        const MarkerTable m = read_trc(entry.path());
        EXPECT_GT(m.marker_names.size(), 0u) << entry.path();
        EXPECT_EQ(m.positions_m.cols(), static_cast<Eigen::Index>(3 * m.marker_names.size()));
        EXPECT_EQ(m.positions_m.rows(), static_cast<Eigen::Index>(m.time_s.size()));
        EXPECT_GT(m.data_rate_hz, 0.0);
        // Marker coordinates of a lab-sized capture, in metres.
        const double largest =
            m.positions_m.array().isNaN().select(0.0, m.positions_m.array()).abs().maxCoeff();
        EXPECT_LT(largest, 20.0) << entry.path();
        EXPECT_GT(largest, 0.05) << entry.path();
      } catch (const InputError& e) {
        ADD_FAILURE() << e.what();
      }
    }
  }
  EXPECT_GT(storages, 10);
  EXPECT_GT(trcs, 2);
}

}  // namespace
}  // namespace glutelab
