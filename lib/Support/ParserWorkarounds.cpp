//===- ParserWorkarounds.cpp - MLIR text MLIR 22 cannot parse -------------===//

#include "strata/Support/ParserWorkarounds.h"

#include "llvm/ADT/StringExtras.h"

std::optional<std::string> strata::findParserCrashers(llvm::StringRef text) {
  // `array<index: ...>`: the dense-array parser takes `index` as an element
  // type and asks it for a bit width (a null dereference).
  size_t pos = 0;
  while ((pos = text.find("array<", pos)) != llvm::StringRef::npos) {
    pos += 6;
    // Skip what the lexer skips: whitespace, NUL characters and comments.
    llvm::StringRef rest = text.drop_front(pos);
    while (true) {
      llvm::StringRef before = rest;
      rest = rest.ltrim(llvm::StringRef(" \t\n\v\f\r\0", 7));
      if (rest.starts_with("//"))
        rest = rest.drop_until([](char c) { return c == '\n'; });
      if (rest.size() == before.size())
        break;
    }
    if (rest.starts_with("index") &&
        (rest.size() == 5 || !llvm::isAlnum(rest[5]) && rest[5] != '_')) {
      size_t line = text.take_front(pos).count('\n') + 1;
      return "line " + std::to_string(line) +
             ": dense arrays of 'index' elements are not supported (MLIR "
             "22's parser crashes on them); use i64";
    }
  }
  return std::nullopt;
}
