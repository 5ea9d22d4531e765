// Small helpers for names typed by users: case folding, and the closest known name for a
// "did you mean" suggestion.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace glutelab {

/// ASCII lower case.
std::string to_lower(std::string_view text);

/// Levenshtein distance (insertions, deletions, substitutions).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `name` by edit distance ("" when there are none); `normalise` is applied
/// to both sides before comparing (e.g. to ignore case).
std::string closest_name(std::string_view name, const std::vector<std::string>& candidates,
                         std::string (*normalise)(std::string_view) = nullptr);

}  // namespace glutelab
