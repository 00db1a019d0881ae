// porla-exporter monitoring mixin.
//
// Hidden fields, as in every monitoring mixin (node-mixin, kubernetes-mixin):
//   _config            every selector, threshold, `for`, severity, rate interval and link
//                      (config.libsonnet); override with `_config+:: { ... }`
//   prometheusAlerts   Prometheus alerting rules: { groups: [...] }
//   prometheusRules    Prometheus recording rules: { groups: [...] } (the dashboards read them)
//   grafanaDashboards  file name -> Grafana dashboard
//   grafanaAlerts      the alerts as Grafana-managed alert rules: the document of a Grafana
//                      alerting provisioning file ({ apiVersion: 1, groups: [...] })
//
// Render with scripts/mixin, or with jsonnet yourself, e.g.
//   jsonnet -J vendor -e '(import "github.com/porla-exporter/porla-exporter/mixin/mixin.libsonnet").prometheusAlerts'
(import 'config.libsonnet') +
(import 'rules.libsonnet') +
(import 'alerts.libsonnet') +
(import 'capacity-alerts.libsonnet') +
(import 'dashboards/dashboards.libsonnet')
