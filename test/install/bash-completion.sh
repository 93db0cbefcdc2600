#!/usr/bin/env bash
# bash-completion.sh THREADVET SOURCE_DIR — packaging/bash-completion/threadvet
# completes commands, options, option values (rule ids from the binary
# itself), directories, .c files and model files, `--opt=value` too, and
# nothing but files after `--`. Runs in a non-interactive bash, no
# bash-completion package needed.
source "$(dirname "$0")/lib.sh"
threadvet=$1 src=$2
# shellcheck source=../../packaging/bash-completion/threadvet
source "$src/packaging/bash-completion/threadvet"
complete -p threadvet | grep -q -- '-F _threadvet' || fail "no completion registered for threadvet"

cd "$scratch"
mkdir -p build src/net
touch src/a.c src/a.h src/net/b.c models.yaml build/compile_commands.json notes.txt old.sarif

# completions LINE: COMPREPLY for the last word of LINE (a trailing space
# starts a new, empty word), sorted, one a line. Splits as bash does,
# `=` being a word of its own.
completions() {
    local line=$1
    line=${line//=/ = }
    read -r -a COMP_WORDS <<<"$line"
    COMP_WORDS[0]=$threadvet
    [[ $1 == *" " || $1 == *"=" ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _threadvet threadvet "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf '%s\n' "${COMPREPLY[@]}" | sort
}
expect() { # expect LINE WANTED... (the complete list, in order)
    local line=$1 got want
    shift
    got=$(completions "$line")
    want=$(printf '%s\n' "$@" | sort)
    [ "$got" = "$want" ] || fail "completing '$line': got [${got//$'\n'/ }], want [${want//$'\n'/ }]"
}
has() { # has LINE WORD...: each WORD is among the completions
    local line=$1 got w
    shift
    got=$(completions "$line")
    for w in "$@"; do grep -qxF -- "$w" <<<"$got" || fail "completing '$line': no '$w' in [${got//$'\n'/ }]"; done
}

expect "threadvet " cc check confirm dump-ir link lsp rules run --help --version
expect "threadvet ch" check
expect "threadvet check --fa" --facts --fail-on
has "threadvet check -" -p --build-dir --compile-commands -j --jobs --format -o --output --sarif --srcroot \
    --models --enable --disable --fail-on --color --no-color -q --quiet -v --verbose -h --help -- \
    --extra-arg --extra-arg-before --sarif-category --config --dump-config --exclude --baseline \
    --write-baseline --report-unused-suppressions --source --cache-dir --no-cache --changed-since \
    --emit-facts --depfile --facts
expect "threadvet check --format " sarif text
expect "threadvet check --format=" sarif text
expect "threadvet check --fail-on w" warning
expect "threadvet check --color " always auto never
expect "threadvet check --source=" always auto never
expect "threadvet check --config " build models.yaml src
expect "threadvet check --baseline " build old.sarif src
expect "threadvet check --extra-arg " # a compiler argument: nothing to offer
rules=$("$threadvet" rules | awk 'NR > 1 { print $1 }')
[ -n "$rules" ] || fail "threadvet rules listed nothing"
# shellcheck disable=SC2086 # one word per rule id
expect "threadvet check --enable " all $rules
expect "threadvet check --disable thread-l" thread-leak
expect "threadvet check -p " build src
expect "threadvet check --models " build models.yaml src
expect "threadvet check src/" src/a.c src/net
expect "threadvet check src/net/" src/net/b.c
expect "threadvet check src/a.c -- src/a." src/a.c src/a.h
expect "threadvet check src/a.c -- -" # compiler flags: nothing to offer
touch a.tvf
expect "threadvet link " a.tvf build src
expect "threadvet check --facts " a.tvf build src
expect "threadvet check --cache-dir " build src
has "threadvet link -" --dump-ir --format -o --fail-on --models -h --help
expect "threadvet rules --format " json markdown text
expect "threadvet rules -" --format -o --output -h --help
expect "threadvet rules thread-" thread-leak
expect "threadvet dump-ir --" --help --models --passes --points-to --summaries --
expect "threadvet dump-ir --models m" models.yaml
expect "threadvet cc --" --models --no-tsan --threadvet-verbose
expect "threadvet cc --models " build models.yaml src
has "threadvet cc src/" src/a.c src/a.h src/net
has "threadvet run -" --format -o --output --sarif --trace --static --srcroot --enable --disable --fail-on \
    --models --deadlock-timeout --leak-grace --timeout --record-mb --keep-record --tsan-output \
    --color --no-color -q --quiet -h --help -- --provoke --provoke-delay
expect "threadvet run --static " build old.sarif src
expect "threadvet run --fail-on c" confirmed
expect "threadvet run --timeout " # a number
expect "threadvet run --provoke-delay " # a number
expect "threadvet run --format=text ./prog -" # the program's arguments: files only
expect "threadvet run -- ./prog --" # likewise after --
expect "threadvet confirm -" --fail-on -o --output -h --help
expect "threadvet confirm " build old.sarif src
expect "threadvet confirm --fail-on " confirmed error note none warning
expect "threadvet lsp --d" --debounce --disable
expect "threadvet lsp -p " build src
expect "threadvet lsp --config " build models.yaml src
expect "threadvet lsp --debounce " # milliseconds
expect "threadvet lsp --enable thread-l" thread-leak
has "threadvet lsp -" -p --build-dir --compile-commands --config --models --enable --disable -j --jobs \
    --debounce --stdio -v --verbose -h --help
echo "PASS"
