// dashboards/*.json: jsonnet -S -m dashboards mixin/render/dashboards.jsonnet
local json = import 'json.libsonnet';
local r = import 'lib.libsonnet';
function(selector=null)
  local dashboards = r.mixin(selector).grafanaDashboards;
  { [file]: json.doc(dashboards[file]) for file in std.objectFields(dashboards) }
