// dashboards/*.json: jsonnet -S -m dashboards mixin/render/dashboards.jsonnet
local r = import 'lib.libsonnet';
function(selector=null) {
  [file]: std.manifestJsonEx(d, '  ') + '\n'
  for file in std.objectFields(r.mixin(selector).grafanaDashboards)
  for d in [r.mixin(selector).grafanaDashboards[file]]
}
