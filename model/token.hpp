#pragma once
// The tokens of the critsec language: Python's lexical structure, cut down.
#include <string>
#include <string_view>
#include <vector>

#include "model/source.hpp"

namespace critsec {

enum class Tok {
    Name,
    Int,
    Float,  // `0.1`, `2.5`: a sleep's seconds, an average (no shared float: no `Value("d")`)
    String,
    FString,
    Newline,
    Indent,
    Dedent,
    End,
    // keywords
    KwIf,
    KwElif,
    KwElse,
    KwFor,
    KwIn,
    KwWhile,
    KwWith,
    KwAs,
    KwAssert,
    KwPass,
    KwGlobal,
    KwAnd,
    KwOr,
    KwNot,
    KwTrue,
    KwFalse,
    KwImport,
    KwFrom,
    KwDef,
    KwClass,
    KwReturn,
    KwBreak,
    KwContinue,
    KwNone,
    KwLambda,
    // punctuation
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,  // Python programs only: a dict display
    RBrace,
    Comma,
    Colon,
    Dot,
    Plus,
    Minus,
    Star,
    Slash,
    SlashSlash,
    Percent,
    Assign,
    PlusAssign,
    MinusAssign,
    StarAssign,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
};

// Which language a file is written in: a critsec spec, or a Python program
// (a `.py` file, read by model/python/ into the same syntax tree).
enum class Dialect { Crit, Python };

struct Token {
    Tok kind;
    std::string text;  // as written; for strings, the decoded value
    Loc loc;
    int length = 1;  // columns in the source
};

const char* token_name(Tok kind);

// 2**63: too large for an int literal, except right after a unary minus (-2**63 fits).
inline constexpr std::string_view kInt64MinMagnitude = "9223372036854775808";

}  // namespace critsec
