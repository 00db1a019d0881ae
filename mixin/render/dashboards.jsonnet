// dashboards/*.json: jsonnet -m dashboards mixin/render/dashboards.jsonnet
// (jsonnet's own JSON output: std.manifestJsonEx is far slower in jsonnet 0.18)
local r = import 'lib.libsonnet';
function(selector=null) r.mixin(selector).grafanaDashboards
