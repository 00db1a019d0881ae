// The capacity alerts: the exporter's own limits (the per-torrent series cap, the poll
// interval), reached now or forecast with predict_linear() over _config.capacity.forecastWindow,
// _config.capacity.forecastHorizon ahead, node-mixin style (NodeFilesystemSpaceFillingUp: a
// forecast fires only once the limit is _config.capacity.forecastMinUsed used, so a flat line
// never fires and early noise far from the limit does not either).
//
// Instance-level alerts in a rule group of their own (_config.capacity.alertGroupName; Grafana:
// _config.capacity.grafanaGroup), with settings in _config.capacityAlerts. The definitions take
// the shape of alerts.libsonnet's (`value op threshold`, placeholders %(threshold)s,
// %(threshold_percent)s, %(for)s) and are rendered by it: both forms, runbook and dashboard links.
local alerts = import 'alerts.libsonnet';
local lib = import 'lib.libsonnet';

{
  local c = $._config.capacity,
  local window = c.forecastWindow,
  local horizon = std.toString(lib.seconds(c.forecastHorizon)),
  local minUsed = lib.num(c.forecastMinUsed),
  local pollRatio = 'avg_over_time(porla_exporter_poll_duration_seconds{%(sel)s}[' + c.pollWindow + ']) / on (job, instance) porla_exporter_poll_interval_seconds{%(sel)s}',

  _capacityAlertDefinitions:: [
    {
      name: 'PorlaExporterSeriesCapReached',
      instanceLevel: true,
      uid: 'porla-exporter-series-cap-reached',
      value: 'porla_exporter_dropped_torrents{%(sel)s}',
      op: '>',
      summary: 'The series cap of porla-exporter {{ $labels.instance }} leaves {{ $value }} torrent(s) out',
      description: 'porla-exporter {{ $labels.instance }} serves no per-torrent series for {{ $value }} torrent(s) because --collector.max-series binds (porla_exporter_dropped_series tells how many series), for %(for)s: the per-torrent alerts (PorlaTorrentAllTrackersFailing, PorlaTrackerFailLimitReached) are blind for them. The per-host aggregates and their alerts are complete.',
      dashboard: 'capacity',
      panel: 20,
    },
    {
      name: 'PorlaExporterPollsOverrunInterval',
      instanceLevel: true,
      uid: 'porla-exporter-polls-overrun-interval',
      value: pollRatio,
      wrap: true,
      op: '>',
      summary: 'Polls of porla-exporter {{ $labels.instance }} no longer fit the poll interval',
      description: 'Polls of Porla by porla-exporter {{ $labels.instance }} took {{ $value | humanizePercentage }} of --poll.interval on average over the last ' + c.pollWindow + ' (threshold %(threshold_percent)s), for %(for)s: each poll starts as soon as the last ended, and tracker data gets older than the interval promises.',
      dashboard: 'capacity',
      panel: 21,
    },
    {
      name: 'PorlaExporterSeriesCapFillingUp',
      instanceLevel: true,
      uid: 'porla-exporter-series-cap-filling-up',
      // The forecast as a share of the cap; only with a cap, at least minUsed used and not
      // binding yet (PorlaExporterSeriesCapReached says that).
      value: 'predict_linear(porla_exporter_uncapped_series{%(sel)s}[' + window + '], ' + horizon + ') / on (job, instance) (porla_exporter_max_series{%(sel)s} > 0)'
             + ' and on (job, instance) (porla_exporter_uncapped_series{%(sel)s} / on (job, instance) (porla_exporter_max_series{%(sel)s} > 0) > ' + minUsed + ')'
             + ' unless on (job, instance) (porla_exporter_dropped_torrents{%(sel)s} > 0)',
      wrap: true,
      op: '>',
      summary: 'The series cap of porla-exporter {{ $labels.instance }} will bind within ' + c.forecastHorizon,
      description: 'At the growth of the last ' + window + ', porla-exporter {{ $labels.instance }} will need {{ $value | humanizePercentage }} of --collector.max-series in ' + c.forecastHorizon + ' (threshold %(threshold_percent)s, for %(for)s). Once the cap binds, the per-torrent alerts go blind for the torrents left out.',
      dashboard: 'capacity',
      panel: 23,
    },
    {
      name: 'PorlaExporterPollsFillingInterval',
      instanceLevel: true,
      uid: 'porla-exporter-polls-filling-interval',
      // The forecast as a share of the interval; only once polls take at least minUsed of it
      // and while they still fit (PorlaExporterPollsOverrunInterval says when they no longer do).
      value: 'predict_linear(porla_exporter_poll_duration_seconds{%(sel)s}[' + window + '], ' + horizon + ') / on (job, instance) porla_exporter_poll_interval_seconds{%(sel)s}'
             + ' and on (job, instance) (' + pollRatio + ' > ' + minUsed + ')'
             + ' unless on (job, instance) (' + pollRatio + ' > 1)',
      wrap: true,
      op: '>',
      summary: 'Polls of porla-exporter {{ $labels.instance }} will stop fitting the poll interval within ' + c.forecastHorizon,
      description: 'At the growth of the last ' + window + ', a poll of Porla by porla-exporter {{ $labels.instance }} will take {{ $value | humanizePercentage }} of --poll.interval in ' + c.forecastHorizon + ' (threshold %(threshold_percent)s, for %(for)s).',
      dashboard: 'capacity',
      panel: 24,
    },
  ],

  // alerts.libsonnet's rendering, fed with these definitions and settings.
  local rendered = alerts {
    _config:: $._config {
      alerts: $._config.capacityAlerts,
      alertGroupName: c.alertGroupName,
      grafanaAlerting+: { group: c.grafanaGroup },
    },
    _alertDefinitions:: $._capacityAlertDefinitions,
  },

  prometheusAlerts+:: { groups+: rendered.prometheusAlerts.groups },
  grafanaAlerts+:: { groups+: rendered.grafanaAlerts.groups },
}
