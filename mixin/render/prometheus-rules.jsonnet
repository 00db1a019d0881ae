// rules/porla-exporter.recording.yml: jsonnet -S mixin/render/prometheus-rules.jsonnet
local r = import 'lib.libsonnet';
function(selector=null) r.yaml(r.mixin(selector).prometheusRules)
