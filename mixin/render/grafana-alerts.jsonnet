// alerting/grafana/porla-alerts.yaml: jsonnet -S mixin/render/grafana-alerts.jsonnet
local r = import 'lib.libsonnet';
function(selector=null)
  local m = r.mixin(selector);
  |||
    # Grafana-managed alert rules for porla-exporter (Grafana alerting file provisioning).
    # datasourceUid %s is expanded by Grafana from its environment:
    # set DS_PROMETHEUS_UID to the uid of your Prometheus data source. See docs/dashboards.md.
  ||| % m._config.grafanaAlerting.datasourceUid + r.yaml(m.grafanaAlerts)
