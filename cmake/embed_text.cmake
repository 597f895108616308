# Writes a text file into a C++ source as a NUL-terminated char array, so that a
# file kept apart for editing (a page template, a script) ships inside the binary.
# Usage: cmake -DINPUT=file -DOUTPUT=file.cpp -DNAMESPACE=ns -DSYMBOL=name -P embed_text.cmake
# Bytes, not a raw string literal: no delimiter can clash with the text.
file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT} by cmake/embed_text.cmake: edit that file, not this one.\n"
  "namespace ${NAMESPACE} {\nextern const char ${SYMBOL}[];\nconst char ${SYMBOL}[] = {${bytes} 0x00};\n}\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
