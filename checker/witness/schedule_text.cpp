#include "checker/witness/schedule_text.hpp"

#include <fmt/format.h>

#include <cctype>

namespace critsec::checker {

std::string schedule_text(const Witness& w) {
    std::vector<std::string> who;
    for (size_t i = 0; i < w.steps.size(); ++i)
        who.push_back(fmt::format("{}{}.{}", static_cast<int>(i) == w.cycle_from ? "[" : "", w.steps[i].process, w.steps[i].step));
    if (w.cycle_from >= 0 && !who.empty()) who.back() += "] forever";
    return fmt::format("{}", fmt::join(who, " "));
}

namespace {

// More turns than any replay takes (its completion stops at 20,000): a longer line is a mistake, not a schedule.
constexpr size_t kMaxEntries = 100'000;

struct Word {
    std::string text;
    int col;  // 1-based byte column
};

std::vector<Word> words_of(const std::string& text) {
    std::vector<Word> out;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        size_t start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        if (i > start) out.push_back({text.substr(start, i - start), static_cast<int>(start) + 1});
    }
    return out;
}

class Reader {
public:
    explicit Reader(const std::string& text) : words_(words_of(text)) {}

    ParsedSchedule read() {
        size_t k = 0;
        // The whole line as `outcomes` prints it may be pasted, label and all.
        if (!words_.empty() && words_[0].text == "schedule:") k = 1;
        if (k == words_.size()) error({1, 1}, 1, "an empty schedule", "give the steps in order, e.g. \"main.1 Adder#1.1 Adder#1.2\"");
        for (; k < words_.size() && out_.diagnostics.empty(); ++k) word(words_[k], k + 1 == words_.size());
        if (out_.diagnostics.empty() && open_ && !closed_) {
            const Word& last = words_.back();
            error({1, last.col}, static_cast<int>(last.text.size()), "the cycle opened with `[` is never closed",
                  "end it as `outcomes` prints a lasso: `[Waiter#1.1 Waiter#1.2] forever`");
        }
        return std::move(out_);
    }

private:
    void error(Loc loc, int length, std::string message, std::string hint = "") {
        out_.diagnostics.push_back({Severity::Error, loc, std::max(1, length), std::move(message), std::move(hint)});
    }

    void word(const Word& w, bool last) {
        Loc loc{1, w.col};
        int length = static_cast<int>(w.text.size());
        if (closed_) {
            if (w.text != "forever" || !last)
                error(loc, length, fmt::format("`{}` after the cycle's `]`", w.text), "a cycle is the end of a schedule: `[...] forever`");
            return;
        }
        std::string body = w.text;
        if (!body.empty() && body.front() == '[') {
            if (open_) return error(loc, 1, "a second `[`: a schedule has one cycle, at its end");
            open_ = true;
            out_.cycle_from = static_cast<int>(out_.entries.size());
            body.erase(0, 1);
            ++loc.col;
        }
        bool closes = !body.empty() && body.back() == ']';
        if (closes) body.pop_back();
        if (closes && !open_) return error({1, loc.col + static_cast<int>(body.size())}, 1, "a `]` with no `[` before it");
        if (!body.empty()) entry(body, loc);
        if (closes) {
            closed_ = true;
            if (out_.cycle_from == static_cast<int>(out_.entries.size()))
                error(loc, length, "an empty cycle `[]`", "a cycle names the steps that repeat");
            else if (last)
                error(loc, length, "a cycle `[...]` ends with `forever`", "as `outcomes` prints a lasso: `[Waiter#1.1] forever`");
        }
    }

    void entry(const std::string& text, Loc loc) {
        int length = static_cast<int>(text.size());
        size_t dot = text.rfind('.');
        std::string digits = dot == std::string::npos ? "" : text.substr(dot + 1);
        bool numeric = !digits.empty() && digits.size() <= 6;
        for (char c : digits) numeric = numeric && std::isdigit(static_cast<unsigned char>(c));
        if (dot == std::string::npos || dot == 0 || !numeric || std::stoi(digits) < 1)
            return error(loc, length, fmt::format("`{}` is not a step: a step is PROCESS.STEP", text),
                         "as `critsec outcomes` prints them: `main.1 Adder#1.1 Adder#1.2`; STEP is the number `critsec show` gives it");
        if (out_.entries.size() == kMaxEntries)
            return error(loc, length, fmt::format("more than {} steps: no replay takes that many", kMaxEntries));
        out_.entries.push_back({text.substr(0, dot), std::stoi(digits), loc, length});
    }

    std::vector<Word> words_;
    ParsedSchedule out_;
    bool open_ = false, closed_ = false;
};

}  // namespace

ParsedSchedule parse_schedule(const std::string& text) { return Reader(text).read(); }

}  // namespace critsec::checker
