#include "model/lexer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

namespace critsec {

const char* token_name(Tok kind) {
    switch (kind) {
        case Tok::Name: return "name";
        case Tok::Int: return "integer";
        case Tok::Float: return "float";
        case Tok::String: return "string";
        case Tok::FString: return "f-string";
        case Tok::Newline: return "end of line";
        case Tok::Indent: return "indent";
        case Tok::Dedent: return "dedent";
        case Tok::End: return "end of file";
        case Tok::KwIf: return "`if`";
        case Tok::KwElif: return "`elif`";
        case Tok::KwElse: return "`else`";
        case Tok::KwFor: return "`for`";
        case Tok::KwIn: return "`in`";
        case Tok::KwWhile: return "`while`";
        case Tok::KwWith: return "`with`";
        case Tok::KwAs: return "`as`";
        case Tok::KwAssert: return "`assert`";
        case Tok::KwPass: return "`pass`";
        case Tok::KwGlobal: return "`global`";
        case Tok::KwAnd: return "`and`";
        case Tok::KwOr: return "`or`";
        case Tok::KwNot: return "`not`";
        case Tok::KwTrue: return "`True`";
        case Tok::KwFalse: return "`False`";
        case Tok::KwImport: return "`import`";
        case Tok::KwFrom: return "`from`";
        case Tok::KwDef: return "`def`";
        case Tok::KwClass: return "`class`";
        case Tok::KwReturn: return "`return`";
        case Tok::KwBreak: return "`break`";
        case Tok::KwContinue: return "`continue`";
        case Tok::KwNone: return "`None`";
        case Tok::KwLambda: return "`lambda`";
        case Tok::LParen: return "`(`";
        case Tok::RParen: return "`)`";
        case Tok::LBracket: return "`[`";
        case Tok::RBracket: return "`]`";
        case Tok::LBrace: return "`{`";
        case Tok::RBrace: return "`}`";
        case Tok::Comma: return "`,`";
        case Tok::Colon: return "`:`";
        case Tok::Dot: return "`.`";
        case Tok::Plus: return "`+`";
        case Tok::Minus: return "`-`";
        case Tok::Star: return "`*`";
        case Tok::Slash: return "`/`";
        case Tok::SlashSlash: return "`//`";
        case Tok::Percent: return "`%`";
        case Tok::Assign: return "`=`";
        case Tok::PlusAssign: return "`+=`";
        case Tok::MinusAssign: return "`-=`";
        case Tok::StarAssign: return "`*=`";
        case Tok::Eq: return "`==`";
        case Tok::Ne: return "`!=`";
        case Tok::Lt: return "`<`";
        case Tok::Le: return "`<=`";
        case Tok::Gt: return "`>`";
        case Tok::Ge: return "`>=`";
    }
    return "token";
}

std::optional<char> escape_value(char e) {
    switch (e) {
        case 'n': return '\n';
        case 't': return '\t';
        case 'r': return '\r';
        case '0': return '\0';
        case '\\': return '\\';
        case '\'': return '\'';
        case '"': return '"';
        default: return std::nullopt;
    }
}

namespace {

// `0.5`, `12.`, `3.25`: digits, one point, digits. Exponents and underscores are
// left out: a course's programs write sleeps and averages, not `1e-3`.
bool is_decimal_float(const std::string& number) {
    size_t point = number.find('.');
    if (point == std::string::npos || number.find('.', point + 1) != std::string::npos) return false;
    return std::all_of(number.begin(), number.end(), [](char c) { return c == '.' || std::isdigit(static_cast<unsigned char>(c)); });
}

const std::map<std::string, Tok, std::less<>>& keywords() {
    static const std::map<std::string, Tok, std::less<>> table = {
        {"if", Tok::KwIf},         {"elif", Tok::KwElif},   {"else", Tok::KwElse},         {"for", Tok::KwFor},
        {"in", Tok::KwIn},         {"while", Tok::KwWhile}, {"with", Tok::KwWith},         {"as", Tok::KwAs},
        {"assert", Tok::KwAssert}, {"pass", Tok::KwPass},   {"global", Tok::KwGlobal},     {"and", Tok::KwAnd},
        {"or", Tok::KwOr},         {"not", Tok::KwNot},     {"True", Tok::KwTrue},         {"False", Tok::KwFalse},
        {"import", Tok::KwImport}, {"from", Tok::KwFrom},   {"def", Tok::KwDef},           {"class", Tok::KwClass},
        {"return", Tok::KwReturn}, {"break", Tok::KwBreak}, {"continue", Tok::KwContinue}, {"None", Tok::KwNone},
        {"lambda", Tok::KwLambda},
    };
    return table;
}

class Lexer {
public:
    Lexer(const std::string& text, Loc base, Dialect dialect = Dialect::Crit)
        : text_(text), line_(base.line), col_offset_(base.col - 1), python_(dialect == Dialect::Python) {}

    // Where the end of the file is reported: the end of the last line, not a line
    // after it, so a diagnostic there still shows a source line and a caret.
    Loc end_loc() const {
        if (pos_ > 0 && line_start_ == pos_ && line_ > 1) {
            size_t prev_start = text_.rfind('\n', pos_ >= 2 ? pos_ - 2 : 0);
            prev_start = (prev_start == std::string::npos || pos_ < 2) ? 0 : prev_start + 1;
            size_t length = pos_ - 1 - prev_start;
            if (length > 0 && text_[pos_ - 2] == '\r') --length;
            return {line_ - 1, static_cast<int>(length) + 1};
        }
        return here();
    }

    LexResult run() {
        indents_.push_back(0);
        narrow_indents_.push_back(0);
        while (pos_ < text_.size() && !gave_up_) {
            if (at_line_start_) {
                if (!handle_indentation()) continue;
            }
            lex_token();
        }
        if (!brackets_.empty()) {
            if (!close_at_newline_) {
                const OpenBracket& open = brackets_.back();
                error(open.loc, 1, fmt::format("`{}` was never closed", opener(open.kind)), "the file ends inside it");
            }
            close_brackets();
        }
        Loc eof = end_loc();
        if (!tokens_.empty() && tokens_.back().kind != Tok::Newline && tokens_.back().kind != Tok::Dedent) push(Tok::Newline, "", eof, 0);
        while (indents_.size() > 1) {
            indents_.pop_back();
            push(Tok::Dedent, "", eof, 0);
        }
        push(Tok::End, "", eof, 0);
        return {std::move(tokens_), std::move(diags_)};
    }

private:
    Loc here() const { return {line_, static_cast<int>(pos_ - line_start_) + 1 + col_offset_}; }

    void push(Tok kind, std::string text, Loc loc, int length) { tokens_.push_back({kind, std::move(text), loc, length}); }

    void error(Loc loc, int length, std::string message, std::string hint = "") {
        diags_.push_back({Severity::Error, loc, length, std::move(message), std::move(hint)});
        if (static_cast<int>(diags_.size()) > kErrorLimit) gave_up_ = true;  // the rest is not worth lexing
    }

    void newline() {
        col_offset_ = 0;
        ++pos_;
        ++line_;
        line_start_ = pos_;
        at_line_start_ = true;
    }

    // Measures the indentation of a logical line; blank and comment-only lines
    // do not count. Returns false when the line was consumed as blank.
    bool handle_indentation() {
        // Widths with tabs to 8 columns and to 1: when the two disagree on the
        // order of two lines, tabs and spaces were mixed (Python's TabError).
        int width = 0, narrow = 0;
        size_t p = pos_;
        while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) {
            width = text_[p] == '\t' ? (width / 8 + 1) * 8 : width + 1;
            ++narrow;
            ++p;
        }
        if (p >= text_.size()) {
            pos_ = p;
            return false;
        }
        if (text_[p] == '\n' || text_[p] == '#' || text_[p] == '\r') {
            while (p < text_.size() && text_[p] != '\n') ++p;
            pos_ = p;
            if (pos_ < text_.size()) newline();
            return false;
        }
        pos_ = p;
        at_line_start_ = false;
        if (!brackets_.empty()) {
            // Inside brackets a line continues the statement, unless it starts a new
            // statement at the indentation of the line that opened them: then the
            // bracket was never closed.
            char c = text_[p];
            bool starts_name = std::isalpha(static_cast<unsigned char>(c)) || c == '_' || letter_bytes(p) > 0;
            if (!(starts_name && width <= brackets_.front().line_indent)) return true;
            const OpenBracket& open = brackets_.back();
            error(open.loc, 1, fmt::format("`{}` was never closed", opener(open.kind)),
                  fmt::format("close it before the end of line {}", open.loc.line));
            close_brackets();
            push(Tok::Newline, "", here(), 0);
        }
        line_indent_ = width;
        Loc loc = here();
        bool tabs_mixed = (width > indents_.back()) != (narrow > narrow_indents_.back()) ||
                          (width == indents_.back()) != (narrow == narrow_indents_.back());
        if (tabs_mixed) {
            error({loc.line, 1}, 1, "inconsistent use of tabs and spaces in indentation", "indent with spaces only");
            return true;  // keep the line in the current block
        }
        if (width > indents_.back()) {
            indents_.push_back(width);
            narrow_indents_.push_back(narrow);
            push(Tok::Indent, "", {loc.line, 1}, 0);
            return true;
        }
        int popped = 0;
        while (width < indents_.back()) {
            indents_.pop_back();
            narrow_indents_.pop_back();
            push(Tok::Dedent, "", loc, 0);
            ++popped;
        }
        if (width != indents_.back()) {
            if (!tabs_mixed)
                error(loc, 1, "unindent does not match any outer indentation level", "indent each block by the same number of spaces");
            // Keep the line in the block it most likely belongs to, so one slip
            // makes one error: undo the last dedent.
            if (popped > 0) {
                tokens_.pop_back();
                indents_.push_back(width);
                narrow_indents_.push_back(narrow);
            }
        }
        return true;
    }

    // Inserts the closing brackets a broken line is missing, so the parser sees a
    // complete statement and reports nothing more about it.
    void close_brackets() {
        while (!brackets_.empty()) {
            Tok open = brackets_.back().kind;
            Tok closer = open == Tok::LParen ? Tok::RParen : open == Tok::LBracket ? Tok::RBracket : Tok::RBrace;
            push(closer, closer == Tok::RParen ? ")" : closer == Tok::RBracket ? "]" : "}", here(), 0);
            brackets_.pop_back();
        }
    }

    static const char* opener(Tok kind) { return kind == Tok::LParen ? "(" : kind == Tok::LBracket ? "[" : "{"; }

    void lex_token() {
        char c = text_[pos_];
        Loc loc = here();
        if (c == '\n') {
            if (close_at_newline_) {
                // An unterminated string already explains this line: close silently.
                close_brackets();
                close_at_newline_ = false;
            }
            if (brackets_.empty() && !tokens_.empty() && tokens_.back().kind != Tok::Newline) push(Tok::Newline, "", loc, 1);
            newline();
            return;
        }
        if (c == ' ' || c == '\t' || c == '\r') {
            ++pos_;
            return;
        }
        if (c == '#') {
            while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
            return;
        }
        if (c == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
            pos_ += 1;
            ++pos_;
            ++line_;
            line_start_ = pos_;
            col_offset_ = 0;
            return;
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || letter_bytes(pos_) > 0) {
            lex_word(loc);
            return;
        }
        if (std::isdigit(static_cast<unsigned char>(c))) {
            size_t start = pos_;
            while (pos_ < text_.size() &&
                   (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_' || text_[pos_] == '.'))
                ++pos_;
            std::string number = text_.substr(start, pos_ - start);
            int length = static_cast<int>(number.size());
            bool digits_only = true;
            for (char d : number) digits_only = digits_only && (std::isdigit(static_cast<unsigned char>(d)) || d == '_');
            if (is_decimal_float(number)) {
                push(Tok::Float, number, loc, length);
                return;
            }
            if (!digits_only) {
                bool is_float = number.find('.') != std::string::npos;
                error(loc, length, fmt::format("invalid number `{}`", number),
                      is_float ? "write a float as digits, a point and digits (`0.25`); no exponents or underscores" : "");
                number = "0";
            } else if (number.size() > 1 && number[0] == '0' && number.find_first_not_of("0_") != std::string::npos) {
                error(loc, length, fmt::format("leading zeros are not allowed in `{}`", number),
                      "write the number without leading zeros, as Python 3 requires");
                number = "0";  // as the parser reads it: unchecked, `0_99999999999999999999` overflowed there
            } else {
                std::string clean;
                for (char d : number)
                    if (d != '_') clean += d;
                // 2**63 itself passes: the parser accepts it right after a unary minus.
                bool too_large = clean.size() > 19 || (clean.size() == 19 && clean > kInt64MinMagnitude);
                if (too_large) {
                    error(loc, length, fmt::format("integer `{}` is too large", number), "integers are limited to 64 bits");
                    clean = "0";
                }
                number = clean;
            }
            push(Tok::Int, number, loc, length);
            return;
        }
        if (c == '"' || c == '\'') {
            lex_string(loc, false);
            return;
        }
        lex_punct(loc);
    }

    void lex_string(Loc loc, bool is_fstring) {
        size_t start = pos_ - (is_fstring ? 1 : 0);
        char quote = text_[pos_];
        bool triple = pos_ + 2 < text_.size() && text_[pos_ + 1] == quote && text_[pos_ + 2] == quote;
        // A Python program's docstrings are triple-quoted; a spec has `#` comments.
        if (triple && (!python_ || is_fstring)) {
            error(loc, 3, "triple-quoted strings are not supported", "use a single-line string, or a `#` comment");
        }
        pos_ += triple ? 3 : 1;
        std::string value;
        bool closed = false;
        while (pos_ < text_.size()) {
            char c = text_[pos_];
            if (c == '\n' && triple && python_) {
                value += c;
                ++line_;
                line_start_ = ++pos_;
                continue;
            }
            if (c == '\n') break;
            if (c == quote) {
                if (!triple) {
                    ++pos_;
                    closed = true;
                    break;
                }
                if (pos_ + 2 < text_.size() && text_[pos_ + 1] == quote && text_[pos_ + 2] == quote) {
                    pos_ += 3;
                    closed = true;
                    break;
                }
            }
            if (c == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] != '\n') {
                char e = text_[pos_ + 1];
                if (is_fstring) {
                    // f-strings keep escapes raw: the parser splits the text at braces first.
                    value += c;
                    value += e;
                } else {
                    value += decode_escape(e, pos_);
                }
                pos_ += 2;
                continue;
            }
            value += c;
            ++pos_;
        }
        int length = static_cast<int>(pos_ - start);
        if (!closed) {
            error(loc, 1, "unterminated string", fmt::format("close it with {} on the same line", quote));
            close_at_newline_ = !brackets_.empty();
        }
        push(is_fstring ? Tok::FString : Tok::String, value, loc, length);
    }

    // A name, a keyword, or the `f` of an f-string.
    void lex_word(Loc loc) {
        size_t start = pos_;
        while (pos_ < text_.size()) {
            if (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_') ++pos_;
            else if (size_t n = letter_bytes(pos_)) pos_ += n;
            else break;
        }
        std::string word = text_.substr(start, pos_ - start);
        if ((word == "f" || word == "F") && pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '\'')) {
            lex_string(loc, true);
            return;
        }
        auto kw = keywords().find(word);
        push(kw != keywords().end() ? kw->second : Tok::Name, word, loc, static_cast<int>(word.size()));
    }

    // The bytes of a non-ASCII letter at `at` (a valid UTF-8 sequence of a code point
    // in a letter block, as Python's identifiers allow: `tamaño`), or 0. General
    // punctuation (typographic quotes, dashes) and spaces such as U+00A0 are not letters.
    size_t letter_bytes(size_t at) const {
        auto u = [&](size_t k) { return static_cast<unsigned char>(text_[at + k]); };
        if (at >= text_.size() || u(0) < 0xC2) return 0;
        size_t len = u(0) >= 0xF0 ? 4 : u(0) >= 0xE0 ? 3 : 2;
        if (u(0) >= 0xF5 || at + len > text_.size()) return 0;
        uint32_t cp = u(0) & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
        for (size_t k = 1; k < len; ++k) {
            if ((u(k) & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (u(k) & 0x3F);
        }
        bool letter = cp == 0xAA || cp == 0xB5 || cp == 0xBA || (cp >= 0xC0 && cp <= 0x2FF && cp != 0xD7 && cp != 0xF7) ||
                      (cp >= 0x370 && cp <= 0x1FFF) || (cp >= 0x3040 && cp <= 0xD7FF) || (cp >= 0xF900 && cp <= 0xFDFF) ||
                      (cp >= 0xFE70 && cp <= 0xFEFE) || (cp >= 0xFF21 && cp <= 0xFFDC) || cp >= 0x10000;
        return letter ? len : 0;
    }

    std::string decode_escape(char e, size_t at) {
        if (auto decoded = escape_value(e)) return std::string(1, *decoded);
        Loc loc{line_, static_cast<int>(at - line_start_) + 1 + col_offset_};
        error(loc, 2, fmt::format("unknown escape sequence `\\{}`", e), "the escapes are \\n \\t \\r \\0 \\\\ \\' \\\"");
        return std::string(1, e);
    }

    void lex_punct(Loc loc) {
        auto two = [&](char a, char b) { return text_[pos_] == a && pos_ + 1 < text_.size() && text_[pos_ + 1] == b; };
        struct Op {
            const char* text;
            Tok kind;
        };
        static const Op ops2[] = {
            {"//", Tok::SlashSlash}, {"+=", Tok::PlusAssign}, {"-=", Tok::MinusAssign}, {"*=", Tok::StarAssign},
            {"==", Tok::Eq},         {"!=", Tok::Ne},         {"<=", Tok::Le},          {">=", Tok::Ge},
        };
        for (const auto& op : ops2) {
            if (two(op.text[0], op.text[1])) {
                push(op.kind, op.text, loc, 2);
                pos_ += 2;
                return;
            }
        }
        static const Op ops1[] = {
            {"(", Tok::LParen}, {")", Tok::RParen},  {"[", Tok::LBracket}, {"]", Tok::RBracket}, {",", Tok::Comma},
            {":", Tok::Colon},  {".", Tok::Dot},     {"+", Tok::Plus},     {"-", Tok::Minus},    {"*", Tok::Star},
            {"/", Tok::Slash},  {"%", Tok::Percent}, {"=", Tok::Assign},   {"<", Tok::Lt},       {">", Tok::Gt},
        };
        char c = text_[pos_];
        if (python_ && (c == '{' || c == '}')) {  // a dict display (kwargs=): the parser reads what it can
            if (c == '{') brackets_.push_back({Tok::LBrace, loc, line_indent_});
            else if (!brackets_.empty()) brackets_.pop_back();
            push(c == '{' ? Tok::LBrace : Tok::RBrace, std::string(1, c), loc, 1);
            ++pos_;
            return;
        }
        for (const auto& op : ops1) {
            if (c == op.text[0]) {
                if (op.kind == Tok::LParen || op.kind == Tok::LBracket) brackets_.push_back({op.kind, loc, line_indent_});
                if ((op.kind == Tok::RParen || op.kind == Tok::RBracket) && !brackets_.empty()) brackets_.pop_back();
                push(op.kind, op.text, loc, 1);
                ++pos_;
                return;
            }
        }
        // A valid multi-byte UTF-8 character counts as one bad character; an invalid
        // byte is one bad byte, shown escaped.
        unsigned char u = static_cast<unsigned char>(c);
        size_t len = u >= 0xF0 && u < 0xF8 ? 4 : u >= 0xE0 ? 3 : u >= 0xC2 ? 2 : 1;
        if (len > 1) {
            bool valid = pos_ + len <= text_.size();
            for (size_t k = 1; valid && k < len; ++k) valid = (static_cast<unsigned char>(text_[pos_ + k]) & 0xC0) == 0x80;
            if (!valid) len = 1;
        }
        bool printable = (u >= 0x20 && u < 0x7F) || len > 1;
        std::string shown = printable ? text_.substr(pos_, len) : fmt::format("\\x{:02x}", u);
        std::string hint;
        if (c == '{' || c == '}') hint = "sets and dicts are not part of critsec; braces belong inside f-strings";
        else if (c == ';') hint = "statements end at the end of the line: drop the `;`";
        else if (shown == "\u201c" || shown == "\u201d" || shown == "\u2018" || shown == "\u2019")
            hint = "typographic quotes: use plain \" or '";
        error(loc, 1, fmt::format("unexpected character `{}`", shown), hint);
        pos_ += len;
    }

    const std::string& text_;
    size_t pos_ = 0;
    bool gave_up_ = false;  // past kErrorLimit errors
    int line_ = 1;
    int col_offset_ = 0;  // non-zero only on the first line of an f-string fragment
    size_t line_start_ = 0;
    bool python_ = false;
    bool at_line_start_ = true;
    struct OpenBracket {
        Tok kind;
        Loc loc;
        int line_indent;  // indentation of the line that opened it
    };
    std::vector<OpenBracket> brackets_;
    bool close_at_newline_ = false;
    int line_indent_ = 0;
    std::vector<int> indents_;
    std::vector<int> narrow_indents_;
    std::vector<Token> tokens_;
    Diagnostics diags_;
};

}  // namespace

LexResult lex(const SourceFile& source, Dialect dialect) { return Lexer(source.text(), {1, 1}, dialect).run(); }

LexResult lex_fragment(const std::string& text, Loc start) { return Lexer(text, start).run(); }

std::string dump_tokens(const std::vector<Token>& tokens) {
    std::string out;
    for (const auto& t : tokens) {
        out += fmt::format("{}:{} {}", t.loc.line, t.loc.col, token_name(t.kind));
        if (t.kind == Tok::Name || t.kind == Tok::Int || t.kind == Tok::Float || t.kind == Tok::String || t.kind == Tok::FString)
            out += fmt::format(" {:?}", t.text);
        out += '\n';
    }
    return out;
}

}  // namespace critsec
