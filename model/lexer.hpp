#pragma once
// Source text to tokens, with Python's INDENT/DEDENT and implicit line joining
// inside brackets. Lexical errors become diagnostics; lexing always finishes.
#include <optional>

#include "model/diagnostic.hpp"
#include "model/token.hpp"

namespace critsec {

struct LexResult {
    std::vector<Token> tokens;  // always ends with Tok::End
    Diagnostics diagnostics;
};

LexResult lex(const SourceFile& source, Dialect dialect = Dialect::Crit);

// Lexes an expression inside an f-string; `start` is where `text` begins in the spec.
LexResult lex_fragment(const std::string& text, Loc start);

// The character a backslash escape stands for (`n` gives a newline), if it is one.
std::optional<char> escape_value(char escaped);

// One token per line, for `--dump tokens`.
std::string dump_tokens(const std::vector<Token>& tokens);

}  // namespace critsec
