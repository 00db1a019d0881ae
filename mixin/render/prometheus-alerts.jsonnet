// rules/porla-exporter.rules.yml: jsonnet -S mixin/render/prometheus-alerts.jsonnet
local r = import 'lib.libsonnet';
function(selector=null) r.yaml(r.mixin(selector).prometheusAlerts)
