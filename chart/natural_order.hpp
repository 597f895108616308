#pragma once
// Texts in the order a reader expects: numbers inside them compared as numbers
// (`total.value = 30` before `total.value = 110`, `-5` before `3`), the rest as text.
#include <string>

namespace critsec::chart {

bool natural_less(const std::string& a, const std::string& b);

}  // namespace critsec::chart
