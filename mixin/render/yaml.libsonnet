// A YAML writer for the rendered rule files. jsonnet 0.18's std.manifestYamlDoc escapes strings
// character by character and takes seconds per file; this one quotes every string in single
// quotes (only `'` needs escaping there, as `''`), which std.strReplace does natively.
// Multi-line strings are refused: none of the mixin's outputs has one.
local scalar(v) =
  if std.isString(v) then
    assert std.length(std.split(v, '\n')) == 1 : 'multi-line string: ' + v;
    "'" + std.strReplace(v, "'", "''") + "'"
  else if std.isBoolean(v) then (if v then 'true' else 'false')
  else if v == null then 'null'
  else (import '../lib.libsonnet').num(v);

local nonEmpty(c) = (std.isObject(c) || std.isArray(c)) && std.length(c) > 0;

local lines(v, indent) =
  if std.isObject(v) then
    std.flattenArrays([
      local c = v[k];
      if nonEmpty(c) then [indent + k + ':'] + lines(c, indent + '  ')
      else if std.isObject(c) then [indent + k + ': {}']
      else if std.isArray(c) then [indent + k + ': []']
      else [indent + k + ': ' + scalar(c)]
      for k in std.objectFields(v)
    ])
  else if std.isArray(v) then
    std.flattenArrays([
      if nonEmpty(c) then
        local sub = lines(c, indent + '  ');
        [indent + '- ' + std.substr(sub[0], std.length(indent) + 2, std.length(sub[0]))] + sub[1:]
      else [indent + '- ' + scalar(c)]
      for c in v
    ])
  else [indent + scalar(v)];

{
  // A YAML document (block style, keys sorted) ending in a newline.
  doc(v):: std.join('\n', lines(v, '')) + '\n',
}
