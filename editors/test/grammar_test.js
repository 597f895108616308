#!/usr/bin/env node
// Tokenizes every spec of specs/ (and the specs given on the command line)
// with the VS Code grammar, as VS Code does (vscode-textmate on the Oniguruma
// regex engine), and checks the scopes each kind of token gets. The grammar is
// a file of regexes that no compiler reads: this is what holds it to the
// language of docs/language.md.
// usage: node grammar_test.js [spec.crit ...]     (exit 0: every check passed)
//        node grammar_test.js --dump spec.crit   (every token and its scopes)
'use strict';
const fs = require('fs');
const path = require('path');
let vsctm, oniguruma;
try {
    vsctm = require('vscode-textmate');
    oniguruma = require('vscode-oniguruma');
} catch (e) {
    console.error(`grammar_test: ${e.message}\nInstall the test's packages: (cd editors/test && npm ci); scripts/setup.sh does.`);
    process.exit(1);
}

const root = path.resolve(__dirname, '..', '..');
const grammarPath = path.join(root, 'editors', 'vscode', 'syntaxes', 'crit.tmLanguage.json');

// The language's words (docs/language.md, Lexical structure and Builtins), and
// the scope each must get wherever it is code (not in a string, comment or claim).
const WORDS = {};
for (const w of 'if elif else for in while with as assert pass break continue'.split(' ')) WORDS[w] = 'keyword.control.flow.crit';
for (const w of 'and or not'.split(' ')) WORDS[w] = 'keyword.operator.logical.crit';
for (const w of 'import from'.split(' ')) WORDS[w] = 'keyword.control.import.crit';
WORDS['global'] = 'storage.modifier.global.crit';
for (const w of 'True False'.split(' ')) WORDS[w] = 'constant.language.boolean.crit';
for (const w of 'def class return None lambda'.split(' ')) WORDS[w] = 'invalid.illegal.reserved.crit';
for (const w of 'Value Array Lock RLock Semaphore BoundedSemaphore File'.split(' ')) WORDS[w] = 'support.class.shared.crit';
for (const w of 'randint range len int str bool abs min max list print sleep open pid parent_pid cpu_count process_name'.split(' '))
    WORDS[w] = 'support.function.builtin.crit';

const NAME = /[\p{L}_][\p{L}\p{N}_]*/u;
const WORD_OR_NUMBER = /[\p{L}\p{N}_]+/gu;

async function loadGrammar() {
    const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm')).buffer;
    await oniguruma.loadWASM(wasm);
    const registry = new vsctm.Registry({
        onigLib: Promise.resolve({
            createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
            createOnigString: (s) => new oniguruma.OnigString(s),
        }),
        loadGrammar: async (scopeName) =>
            scopeName === 'source.crit' ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
    });
    return registry.loadGrammar('source.crit');
}

// Every token of a file: {line, text, scopes} (scopes without the root source.crit).
function tokenize(grammar, text) {
    const tokens = [];
    let state = vsctm.INITIAL;
    text.split('\n').forEach((line, i) => {
        const r = grammar.tokenizeLine(line, state);
        for (const t of r.tokens) {
            tokens.push({ line: i + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes.slice(1), source: line });
        }
        state = r.ruleStack;
    });
    return tokens;
}

const has = (t, prefix) => t.scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));
const inText = (t) => has(t, 'string') || has(t, 'comment') || has(t, 'meta.claim');

// The checks on one file's tokens; returns a list of failures ("file:line: ...").
function checkFile(file, tokens, seen) {
    const fails = [];
    const fail = (t, what) => fails.push(`${file}:${t.line}: ${what}: \`${t.text}\` has [${t.scopes.join(' ')}] in: ${t.source.trim()}`);
    const lines = new Map();
    for (const t of tokens) {
        if (!lines.has(t.line)) lines.set(t.line, []);
        lines.get(t.line).push(t);
    }
    for (const [, toks] of lines) {
        const source = toks[0].source;
        const claim = /^\s*#\s*(expect|fixed-inputs):/.exec(source);
        if (claim) {
            // A claim line: claim scope on every token, `expect:` a keyword, verdicts constants.
            seen.claim = true;
            for (const t of toks) if (t.text.trim() && !has(t, 'meta.claim')) fail(t, 'a claim line token outside meta.claim');
            if (!toks.some((t) => t.text === claim[1] && has(t, 'keyword.other.claim.crit'))) fail(toks[0], `\`${claim[1]}\` not keyword.other.claim`);
            for (const t of toks) {
                if (/^(PROVED|VIOLATED|BOUNDED|UNKNOWN)$/.test(t.text)) {
                    seen.verdict = true;
                    if (!has(t, 'constant.language.verdict')) fail(t, 'a verdict not constant.language.verdict');
                }
            }
            const prop = /^\s*#\s*expect:\s*([\w@-]+)/.exec(source);
            if (prop && !toks.some((t) => t.text === prop[1] && has(t, 'support.constant.property.crit'))) fail(toks[0], `property \`${prop[1]}\` not support.constant.property`);
            continue;
        }
        if (/^\s*#/.test(source)) {
            seen.comment = true;
            for (const t of toks) if (t.text.trim() && !has(t, 'comment.line.number-sign.crit')) fail(t, 'a comment line token outside the comment');
            continue;
        }
        let commentStarted = false;
        for (const t of toks) {
            // Once a comment starts, the rest of the line is comment.
            if (has(t, 'comment')) { commentStarted = true; seen.trailingComment = true; continue; }
            if (commentStarted && t.text.trim()) fail(t, 'code after a comment started');
            if (has(t, 'string')) seen.string = true;
            if (has(t, 'meta.interpolation')) seen.interpolation = true;
            if (inText(t)) {
                // Quotes and escapes only ever appear inside strings; the expression of an
                // f-string's braces is code, not string.
                if (has(t, 'meta.interpolation') && has(t, 'string.interpolated') && /^[\p{L}_]/u.test(t.text)) fail(t, 'an f-string expression scoped as string');
                continue;
            }
            if (/["'#]/.test(t.text)) fail(t, 'a quote or # outside any string or comment scope');
            // Every word of code: a keyword or builtin gets its scope; a number constant.numeric.
            for (const m of t.text.matchAll(WORD_OR_NUMBER)) {
                const w = m[0];
                if (/^\d/.test(w)) {
                    seen.number = true;
                    if (!has(t, 'constant.numeric.integer.decimal.crit') && !has(t, 'constant.numeric.float.decimal.crit')) fail(t, 'a number not constant.numeric');
                } else if (WORDS[w] && !t.scopes.includes(WORDS[w]) && !has(t, 'variable.other.property') && !has(t, 'entity.name.function.method')) {
                    fail(t, `\`${w}\` not ${WORDS[w]}`);
                } else if (WORDS[w]) {
                    seen[WORDS[w]] = true;
                }
            }
            // Nothing but names, spaces and punctuation may be left without a scope of its own.
            if (t.scopes.length === 0 && !/^[\s\p{L}\p{N}_]*$/u.test(t.text)) fail(t, 'an unscoped operator or punctuation');
        }
        // The headers.
        const proc = /^process\s+([\p{L}_][\p{L}\p{N}_]*)/u.exec(source);
        if (proc) {
            seen.process = true;
            if (!toks.some((t) => t.text === 'process' && has(t, 'storage.type.process.crit'))) fail(toks[0], '`process` not storage.type.process');
            if (!toks.some((t) => t.text === proc[1] && has(t, 'entity.name.function.process.crit'))) fail(toks[0], 'the process name not entity.name.function.process');
        }
        if (/^main\s*:/.test(source)) {
            seen.main = true;
            if (!toks.some((t) => t.text === 'main' && has(t, 'storage.type.main.crit'))) fail(toks[0], '`main` not storage.type.main');
        }
    }
    return fails;
}

// Tokens of sample.crit (the constructs no spec of specs/ has) and the scope each must get.
const SAMPLE_SCOPES = [
    [10, '\\n', 'constant.character.escape.crit'],
    [11, '1_000', 'constant.numeric.integer.decimal.crit'],
    [39, '0.25', 'constant.numeric.float.decimal.crit'],
    [16, 'tamaño', 'variable.parameter.crit'],
    [18, 'value', 'variable.other.property.shared.crit'],
    [18, '+=', 'keyword.operator.assignment.augmented.crit'],
    [19, '{{', 'constant.character.escape.crit'],
    [19, 'a:b', 'string.quoted.single.crit'],
    [19, 'F', 'storage.type.string.crit'],
    [19, 'tamaño', 'meta.interpolation.crit'],
    [22, '\\', 'punctuation.separator.continuation.line.crit'],
    [23, '//', 'keyword.operator.arithmetic.crit'],
    [24, '>=', 'keyword.operator.comparison.crit'],
    [34, 'start', 'entity.name.function.method.crit'],
    [32, 'Worker', 'entity.name.function.call.crit'],
];

function checkSample(tokens) {
    const fails = [];
    for (const [line, text, scope] of SAMPLE_SCOPES) {
        if (!tokens.some((t) => t.line === line && t.text === text && t.scopes.includes(scope))) {
            const got = tokens.filter((t) => t.line === line && t.text === text).map((t) => t.scopes.join(' '));
            fails.push(`editors/test/sample.crit:${line}: \`${text}\` not ${scope} (has: ${got.join(' | ') || 'no such token'})`);
        }
    }
    return fails;
}

function specsUnder(dir) {
    const out = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) out.push(...specsUnder(p));
        else if (e.name.endsWith('.crit')) out.push(p);
    }
    return out.sort();
}

async function main() {
    const grammar = await loadGrammar();
    if (process.argv[2] === '--dump') {
        for (const t of tokenize(grammar, fs.readFileSync(process.argv[3], 'utf8'))) console.log(`${t.line}\t${JSON.stringify(t.text)}\t${t.scopes.join(' ')}`);
        return;
    }
    const sample = path.join(__dirname, 'sample.crit');
    const files = process.argv.length > 2 ? process.argv.slice(2) : specsUnder(path.join(root, 'specs')).concat([sample]);
    const seen = {};
    let fails = [];
    for (const f of files) {
        const tokens = tokenize(grammar, fs.readFileSync(f, 'utf8'));
        fails = fails.concat(checkFile(path.relative(root, path.resolve(f)), tokens, seen));
        if (path.resolve(f) === sample) fails = fails.concat(checkSample(tokens));
    }
    // Each kind checked above must have occurred, or its check checked nothing.
    const kinds = ['claim', 'verdict', 'comment', 'trailingComment', 'string', 'interpolation', 'number', 'process', 'main',
        'keyword.control.flow.crit', 'support.class.shared.crit', 'support.function.builtin.crit'];
    if (process.argv.length <= 2) for (const k of kinds) if (!seen[k]) fails.push(`no ${k} in any spec: that check checked nothing`);
    for (const f of fails) console.log(`FAIL ${f}`);
    console.log(`${files.length} specs tokenized, ${fails.length} failures`);
    process.exit(fails.length ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });
