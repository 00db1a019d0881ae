// A JSON writer for the rendered dashboards: two-space indentation, sorted keys, and numbers as
// lib.num prints them (jsonnet 0.18's own output writes 0.1 as 0.10000000000000001, and its
// std.manifestJsonEx escapes strings character by character, taking seconds per dashboard).
// Only `\` and `"` are escaped: strings with a newline, tab or carriage return are refused
// (no dashboard has one).
local lib = import '../lib.libsonnet';

local string(s) =
  assert std.length(std.split(s, '\n')) == 1 && std.length(std.split(s, '\t')) == 1
         && std.length(std.split(s, '\r')) == 1 : 'control character in: ' + s;
  '"' + std.strReplace(std.strReplace(s, '\\', '\\\\'), '"', '\\"') + '"';

local value(v, indent) =
  local inner = indent + '  ';
  if std.isObject(v) then
    if std.length(v) == 0 then '{}'
    else '{\n' + std.join(',\n', [
      inner + string(k) + ': ' + value(v[k], inner)
      for k in std.objectFields(v)
    ]) + '\n' + indent + '}'
  else if std.isArray(v) then
    if std.length(v) == 0 then '[]'
    else '[\n' + std.join(',\n', [inner + value(c, inner) for c in v]) + '\n' + indent + ']'
  else if std.isString(v) then string(v)
  else if std.isBoolean(v) then (if v then 'true' else 'false')
  else if v == null then 'null'
  else lib.num(v);

{
  // A JSON document ending in a newline.
  doc(v):: value(v, '') + '\n',
}
