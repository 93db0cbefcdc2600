# sarif-to-codequality.jq — threadvet's SARIF as a GitLab Code Quality report
# (artifacts:reports:codequality), installed as share/threadvet/sarif-to-codequality.jq:
#
#   jq -f /usr/local/share/threadvet/sarif-to-codequality.jq threadvet.sarif > gl-code-quality-report.json
#
# One issue per result: its message, rule, level (error: critical, warning:
# major, note: minor), primary location (the path relative to the
# repository, as threadvet writes it against %SRCROOT%) and threadvet's
# line-independent fingerprint, so an issue stays the same one when code
# above it moves. Needs jq 1.6 or later.

# The bytes of a UTF-8 sequence as one code point.
def code_point:
  if length == 1 then .[0]
  else reduce .[1:][] as $b (.[0] % ({"2": 32, "3": 16, "4": 8}[length | tostring]); . * 64 + $b % 64)
  end;

# A URI path with %XX escapes (threadvet escapes every byte that is not
# unreserved, UTF-8 included) as the file name it stands for.
def uri_path:
  [scan("%[0-9A-Fa-f]{2}|[^%]")
   | if startswith("%")
     then .[1:] | ascii_downcase | explode | map(if . >= 97 then . - 87 else . - 48 end) | .[0] * 16 + .[1]
     else explode[0]
     end]
  | [recurse(.[(if .[0] < 128 then 1 elif .[0] < 224 then 2 elif .[0] < 240 then 3 else 4 end):]; length > 0)
     | select(length > 0)
     | .[:(if .[0] < 128 then 1 elif .[0] < 224 then 2 elif .[0] < 240 then 3 else 4 end)]
     | code_point]
  | implode;

# Suppressed results and those a baseline says are gone are no issues.
[.runs[] | .results[]?
  | select((.suppressions // []) == [] and .baselineState != "absent") |
  (.locations[0].physicalLocation // {}) as $where |
  {
    description: .message.text,
    check_name: .ruleId,
    fingerprint: (.partialFingerprints["threadvet/v1"] // .partialFingerprints.primaryLocationLineHash),
    severity: ({"error": "critical", "warning": "major", "note": "minor"}[.level // "warning"] // "info"),
    location: {
      path: ($where.artifactLocation.uri // "" | uri_path),
      lines: {begin: ($where.region.startLine // 1)}
    }
  }]
