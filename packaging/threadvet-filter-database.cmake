# threadvet-filter-database.cmake — run at build time by threadvet_check():
#
#   cmake -DDATABASE=BUILD/compile_commands.json -DOBJECTS=OBJECTS.txt
#         -DOUTPUT=FILTERED.json -DTARGET=NAME -P threadvet-filter-database.cmake
#
# Writes OUTPUT, a compilation database holding exactly the entries of
# DATABASE that compile one of the target's object files (OBJECTS: one path
# a line, from $<TARGET_OBJECTS:...>). Matching by object rather than by
# source keeps the target's own flags when a file is built by two targets.
# Only CMake is needed (no Python): the database is read with string(JSON).
cmake_minimum_required(VERSION 3.25)

foreach(var DATABASE OBJECTS OUTPUT TARGET)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "threadvet-filter-database.cmake: -D${var}=... is missing")
  endif()
endforeach()
if(NOT EXISTS "${DATABASE}")
  message(FATAL_ERROR "threadvet_check(${TARGET}): ${DATABASE} does not exist "
    "(threadvet_check needs a Makefile or Ninja generator, which write it)")
endif()

# The target's objects, normalized (Ninja writes `dir/./src/a.c.o`).
file(STRINGS "${OBJECTS}" object_lines)
set(objects "")
foreach(o IN LISTS object_lines)
  if(NOT o STREQUAL "")
    cmake_path(NORMAL_PATH o)
    list(APPEND objects "${o}")
  endif()
endforeach()

# The object file an entry writes: `-o FILE` (or -oFILE) in its arguments
# or its command, resolved against its directory. Empty when there is none.
function(entry_object entry out)
  set(obj "")
  string(JSON dir ERROR_VARIABLE err GET "${entry}" directory)
  string(JSON args ERROR_VARIABLE no_args GET "${entry}" arguments)
  if(NOT no_args)
    string(JSON n LENGTH "${entry}" arguments)
    set(take_next FALSE)
    math(EXPR last "${n} - 1")
    foreach(i RANGE 0 ${last})
      string(JSON a GET "${entry}" arguments ${i})
      if(take_next)
        set(obj "${a}")
        break()
      elseif(a STREQUAL "-o")
        set(take_next TRUE)
      elseif(a MATCHES "^-o(.+)$")
        set(obj "${CMAKE_MATCH_1}")
        break()
      endif()
    endforeach()
  else()
    string(JSON command ERROR_VARIABLE err GET "${entry}" command)
    # CMake quotes a path with spaces: -o "CMakeFiles/a b.dir/x.c.o".
    if(command MATCHES " -o[ ]*\"(([^\"\\\\]|\\\\.)*)\"")
      string(REGEX REPLACE "\\\\(.)" "\\1" obj "${CMAKE_MATCH_1}")
    elseif(command MATCHES " -o[ ]*([^ ]+)")
      set(obj "${CMAKE_MATCH_1}")
    endif()
  endif()
  if(NOT obj STREQUAL "")
    cmake_path(ABSOLUTE_PATH obj BASE_DIRECTORY "${dir}" NORMALIZE)
  endif()
  set(${out} "${obj}" PARENT_SCOPE)
endfunction()

file(READ "${DATABASE}" db)
string(JSON count ERROR_VARIABLE err LENGTH "${db}")
if(err)
  message(FATAL_ERROR "threadvet_check(${TARGET}): ${DATABASE}: ${err}")
endif()

# Each string(JSON) call parses its whole input, so reading entry i of a
# big database one call at a time is quadratic. CMake writes one entry per
# `{ ... }` block with `},` between them, and JSON strings hold no raw
# newline: cut the text there and parse each block alone. The characters
# CMake's lists treat specially stay hidden while the blocks are a list.
# Anything unexpected falls back to asking string(JSON) for each entry.
string(ASCII 1 semicolon)
string(ASCII 2 open_bracket)
string(ASCII 3 close_bracket)
macro(hide var)
  string(REPLACE ";" "${semicolon}" ${var} "${${var}}")
  string(REPLACE "[" "${open_bracket}" ${var} "${${var}}")
  string(REPLACE "]" "${close_bracket}" ${var} "${${var}}")
endmacro()
macro(reveal var)
  string(REPLACE "${semicolon}" ";" ${var} "${${var}}")
  string(REPLACE "${open_bracket}" "[" ${var} "${${var}}")
  string(REPLACE "${close_bracket}" "]" ${var} "${${var}}")
endmacro()

set(text "${db}")
hide(text)
string(REGEX REPLACE "^[ \t\r\n]*${open_bracket}[ \t\r\n]*" "" text "${text}")
string(REGEX REPLACE "[ \t\r\n]*${close_bracket}[ \t\r\n]*$" "" text "${text}")
string(REGEX REPLACE "}[ \t\r]*,[ \t\r]*\n[ \t\r]*{" "};{" entries "${text}")
set(fast TRUE)
set(got 0)
foreach(block IN LISTS entries)
  reveal(block)
  string(JSON type ERROR_VARIABLE err TYPE "${block}")
  if(err OR NOT type STREQUAL "OBJECT")
    set(fast FALSE)
    break()
  endif()
  math(EXPR got "${got} + 1")
endforeach()
if(text STREQUAL "")
  set(entries "")
elseif(NOT fast OR NOT got EQUAL count)
  set(entries "")
  if(count GREATER 0)
    math(EXPR last "${count} - 1")
    foreach(i RANGE 0 ${last})
      string(JSON entry GET "${db}" ${i})
      hide(entry)
      list(APPEND entries "${entry}")
    endforeach()
  endif()
endif()

set(kept "")
set(sep "")
foreach(entry IN LISTS entries)
  reveal(entry)
  entry_object("${entry}" obj)
  if(NOT obj STREQUAL "" AND obj IN_LIST objects)
    string(APPEND kept "${sep}${entry}")
    set(sep ",\n")
  endif()
endforeach()
if(kept STREQUAL "")
  message(FATAL_ERROR "threadvet_check(${TARGET}): ${DATABASE} has no entry for the target's sources")
endif()
file(WRITE "${OUTPUT}.tmp" "[\n${kept}\n]\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
