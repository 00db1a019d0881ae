// The Grafana dashboards, file name -> dashboard. They are plain jsonnet (no third-party
// library): each file is a function of _config, so that the job selector, the rate interval,
// the threshold lines and the uids follow it, and builds its panels with the constructors of
// grafana.libsonnet (described at its top).
{
  grafanaDashboards+:: {
    [$._config.dashboardUids.health + '.json']: (import 'porla-tracker-health.libsonnet')($._config),
    [$._config.dashboardUids.drilldown + '.json']: (import 'porla-tracker-drilldown.libsonnet')($._config),
    [$._config.dashboardUids.capacity + '.json']: (import 'porla-capacity.libsonnet')($._config),
  },
}
