#pragma once
// The specs a command line names: a `.crit` spec or `.py` program, or a folder
// searched recursively for them (one folder per student; hidden folders
// skipped). Each is named by its path: a folder's files relative to the
// folder, prefixed with the folder's own name when several arguments are given
// (`alice/adder.crit`, `bob/adder.crit`); a file as given. `critsec grade` and
// `critsec suite` find their specs here.
#include <string>
#include <vector>

namespace critsec {

struct FoundSpec {
    std::string name;  // as rows name it
    std::string path;
};

struct FoundSpecs {
    std::vector<FoundSpec> specs;
    std::vector<std::string> problems;  // "no such file or folder: x", "no .crit or .py file in y"
};

FoundSpecs find_specs(const std::vector<std::string>& arguments);

}  // namespace critsec
