" Vim syntax file
" Language:    critsec spec (.crit), docs/language.md
" Maintainer:  the critsec project
" Tested by:   editors/test/vim_syntax_test.sh (the groups of a spec's tokens)
if exists("b:current_syntax")
  finish
endif

" Names may hold letters beyond ASCII (tamaño), as Python's identifiers do.
syn iskeyword @,48-57,_,192-255

syn keyword critConditional if elif else
syn keyword critRepeat      for while in
syn keyword critStatement   with as assert pass global break continue
syn keyword critOperator    and or not
syn keyword critInclude     import from
syn keyword critBoolean     True False
" Reserved: a spec that uses them is refused, with an explanation.
syn keyword critReserved    def class return None lambda
syn keyword critShared      Value Array Lock RLock Semaphore BoundedSemaphore File
syn keyword critBuiltin     randint range len int str bool abs min max list print sleep open pid parent_pid cpu_count process_name

" `process` and `main` are keywords only at the start of a top-level line.
syn match critProcessHead "^process\>" nextgroup=critProcessName skipwhite
syn match critProcessName "\h\w*" contained
syn match critMain        "^main\ze\s*:"

syn match critNumber "\<\d\%(_\=\d\)*\>"
syn match critNumber "\<\d\+\.\d*"
syn match critMember "\.\zsvalue\>"

syn match critEscape        +\\[ntr0\\'"]+ contained
syn match critEscapeError   +\\[^ntr0\\'"]+ contained
syn region critString  start=+"+ skip=+\\\\\|\\"+ end=+"+ end=+$+ keepend oneline contains=critEscape,critEscapeError
syn region critString  start=+'+ skip=+\\\\\|\\'+ end=+'+ end=+$+ keepend oneline contains=critEscape,critEscapeError
" f-strings: the expression in braces is code; {{ and }} are literal braces.
syn match  critFBrace        "{{\|}}" contained
syn region critInterpolation matchgroup=critFDelim start="{\ze[^{]" end="}" contained oneline contains=TOP,critFString
syn region critFString start=+\<[fF]"+ skip=+\\\\\|\\"+ end=+"+ end=+$+ keepend oneline contains=critEscape,critEscapeError,critFBrace,critInterpolation
syn region critFString start=+\<[fF]'+ skip=+\\\\\|\\'+ end=+'+ end=+$+ keepend oneline contains=critEscape,critEscapeError,critFBrace,critInterpolation

syn match critComment "#.*$" contains=@Spell
" Claims: a comment line of its own whose text starts with expect: or fixed-inputs:.
syn match critClaim   "^\s*#\s*\%(expect\|fixed-inputs\):.*$" contains=critClaimKey,critVerdict,critClaimString
syn match critClaimKey "#\s*\zs\%(expect\|fixed-inputs\):" contained
syn keyword critVerdict PROVED VIOLATED BOUNDED UNKNOWN contained
syn region critClaimString start=+"+ end=+"+ end=+$+ contained oneline

hi def link critConditional  Conditional
hi def link critRepeat       Repeat
hi def link critStatement    Statement
hi def link critOperator     Operator
hi def link critInclude      Include
hi def link critBoolean      Boolean
hi def link critReserved     Error
hi def link critShared       Type
hi def link critBuiltin      Function
hi def link critProcessHead  Structure
hi def link critProcessName  Function
hi def link critMain         Structure
hi def link critNumber       Number
hi def link critMember       Identifier
hi def link critString       String
hi def link critFString      String
hi def link critFDelim       Special
hi def link critFBrace       SpecialChar
hi def link critEscape       SpecialChar
hi def link critEscapeError  Error
hi def link critComment      Comment
hi def link critClaim        PreProc
hi def link critClaimKey     Todo
hi def link critVerdict      Constant
hi def link critClaimString  String

let b:current_syntax = "crit"
