// Muscle groups of the glutelab model: every muscle of data/models/glutelab.osim (names taken from
// the file's text, as this module does not link the reader) maps to a plain-language group.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "glutelab/model/muscle_groups.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

std::vector<std::string> muscle_names_in(const std::string& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  static const std::regex muscle(
      R"(<(Millard2012EquilibriumMuscle|Thelen2003Muscle|DeGrooteFregly2016Muscle) name="([^"]+)\")");
  std::vector<std::string> names;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), muscle); it != std::sregex_iterator(); ++it)
    names.push_back((*it)[2]);
  return names;
}

TEST(GlutelabModelGroups, EveryMuscleMapsToAGroup) {
  const auto names = muscle_names_in(test::project_data("models/glutelab.osim").string());
  ASSERT_EQ(names.size(), 104u);
  std::map<std::string, int> count;
  for (const std::string& n : names) {
    const std::string g = muscle_group(n);
    EXPECT_NE(g, "other") << n;
    ++count[g];
  }
  EXPECT_EQ(count["gluteus maximus"], 6);
  EXPECT_EQ(count["gluteus medius"], 6);
  EXPECT_EQ(count["gluteus minimus"], 6);
  EXPECT_EQ(count["deep six"], 20);
  EXPECT_EQ(count["hamstrings"], 8);   // bflh, bfsh, semimem, semiten
  EXPECT_EQ(count["quadriceps"], 8);   // recfem, vasint, vaslat, vasmed
  EXPECT_EQ(count["adductors"], 14);   // addbrev, addlong, addmag x4, grac
  EXPECT_EQ(count["hip flexors"], 8);  // iliacus, psoas, tfl, sart
  EXPECT_EQ(count["calves"], 6);       // gaslat, gasmed, soleus
  EXPECT_EQ(count["lower back"], 2);
  EXPECT_EQ(count["abdominals"], 4);
  EXPECT_EQ(count["shin and foot"], 16);  // edl, ehl, fdl, fhl, perbrev, perlong, tibant, tibpost
}

TEST(GlutelabModelGroups, PlainLanguageNames) {
  EXPECT_EQ(muscle_group("glmax2_l"), "gluteus maximus");
  EXPECT_EQ(muscle_group("obt_int3_r"), "deep six");
  EXPECT_EQ(muscle_group("gem_sup_l"), "deep six");
  EXPECT_EQ(muscle_group("quad_fem_r"), "deep six");
  EXPECT_EQ(muscle_group("ercspn_r"), "lower back");
  EXPECT_EQ(muscle_group("extobl_l"), "abdominals");
  EXPECT_EQ(muscle_group("addmagIsch_r"), "adductors");
  EXPECT_EQ(muscle_group("soleus_r"), "calves");
  EXPECT_EQ(muscle_group("tibant_r"), "shin and foot");
  EXPECT_EQ(muscle_group("bogus"), "other");
}

}  // namespace
}  // namespace glutelab
