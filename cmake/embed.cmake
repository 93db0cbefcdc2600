# Writes OUT, a C file defining NAME[] = { {file, text, len}, ..., {0} } from
# the files in INPUTS (a ;-list). Shipped rules and models are data: they are
# parsed at run time exactly like a user's files, only carried in the binary.
set(body "#include \"config/catalog.h\"\n")
set(table "")
set(i 0)
foreach(f IN LISTS INPUTS)
  file(READ "${f}" hex HEX)
  string(LENGTH "${hex}" hexlen)
  math(EXPR len "${hexlen} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  get_filename_component(base "${f}" NAME)
  string(APPEND body "static const char d${i}[] = {${bytes}0};\n")
  string(APPEND table "  {\"${base}\", d${i}, ${len}},\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND body "const EmbeddedFile ${NAME}[] = {\n${table}  {0, 0, 0}\n};\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
