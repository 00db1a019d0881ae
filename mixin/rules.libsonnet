// Recording rules. The dashboards read these series; alerts never do (they inline the same
// expressions) so that Grafana-managed alerts work without the recording rules.
local classes = import 'classes.libsonnet';
local lib = import 'lib.libsonnet';

// A tracker host's torrents summed over statuses, of those the matchers select (after the job
// selector): every status (''), those in error, the active ones (not inactive); and the
// denominator of the host ratios, absent for a host without active torrents.
local hostTorrents(matchers) = 'sum without (status) (porla_tracker_host_torrents{%(sel)s' + matchers + '})';
local hostInError = hostTorrents(', status="error"');
local hostActive = hostTorrents(', status!="inactive"');
local perActiveHostTorrent = ' / (' + hostActive + ' > 0)';

{
  // Expression templates: `%(sel)s` is _config.porlaExporterSelector.
  _recordingRules:: [
    {
      record: 'porla:tracker_host_torrents:sum',
      help: 'Torrents per tracker host, all statuses.',
      expr: hostTorrents(''),
    },
    {
      record: 'porla:tracker_host_torrents_active:sum',
      help: 'Torrents per tracker host that are not inactive (paused, checking, nothing scheduled).',
      expr: hostActive,
    },
    {
      record: 'porla:tracker_host_torrents:error_ratio',
      help: "Share of a tracker host's active torrents that are in status error (absent when it has none).",
      expr: hostInError + perActiveHostTorrent,
    },
    {
      record: 'porla:tracker_host_torrents:failing_ratio',
      help: "Share of a tracker host's active torrents in status error, less those failing with a class that has a host alert of its own (access_denied, unregistered: classes.libsonnet); PorlaTrackerHostFailing evaluates it. A torrent failing there with such a class and another one is subtracted too (once per such class), so the share is a lower bound. Absent when the host has no active torrent.",
      expr: 'clamp_min(' + hostInError + ' - (sum without (class) (porla_tracker_host_errors{%(sel)s, class=~"' + classes.ownAlertRegex + '"}) or ' + hostInError + ' * 0), 0)' + perActiveHostTorrent,
    },
    {
      record: 'porla:tracker_status:count',
      help: 'Trackers (torrent x tracker series) per status and exporter instance.',
      expr: 'count without (info_hash, tracker, tracker_host, tier, endpoint, protocol) (porla_tracker_status{%(sel)s})',
    },
    {
      record: 'porla:torrent_trackers:count',
      help: 'Trackers per torrent.',
      expr: 'count without (tracker, tracker_host, tier, status, endpoint, protocol) (porla_tracker_status{%(sel)s})',
    },
    {
      record: 'porla:torrent_trackers_error:count',
      help: 'Trackers in status error per torrent (absent when none).',
      expr: 'count without (tracker, tracker_host, tier, status, endpoint, protocol) (porla_tracker_status{%(sel)s, status="error"})',
    },
    {
      record: 'porla:torrent_seeders:max',
      help: 'Seeders per torrent: the largest count any of its trackers reports (absent when none reports).',
      expr: 'max without (tracker, tracker_host, tier, endpoint, protocol) (porla_tracker_scrape_complete{%(sel)s})',
    },
    {
      record: 'porla:torrent_leechers:max',
      help: 'Leechers per torrent: the largest count any of its trackers reports (absent when none reports).',
      expr: 'max without (tracker, tracker_host, tier, endpoint, protocol) (porla_tracker_scrape_incomplete{%(sel)s})',
    },
    // Per exporter instance (one Porla daemon): what the fleet dashboard reads. The
    // documented federation match[] `{__name__=~"porla:instance_.*|porla:tracker_.*"}` carries
    // them to a global Prometheus (deploy/prometheus/federation.yml, docs/deployment.md
    // "Scaling past one machine"); porla:torrent_* stays on the shards.
    {
      record: 'porla:instance_exporter_up',
      help: "Prometheus' up of the exporter's scrape target (1 scraped, 0 failed), under a name federation carries.",
      expr: 'up{%(sel)s}',
    },
    {
      record: 'porla:instance_last_successful_poll_timestamp_seconds',
      help: "porla_exporter_last_successful_poll_timestamp_seconds under a name federation carries: time() minus it is the data's age.",
      expr: 'porla_exporter_last_successful_poll_timestamp_seconds{%(sel)s}',
    },
    {
      record: 'porla:instance_tracker_host_torrents:error_ratio',
      help: "Share of an instance's active (not inactive) torrent x tracker host pairs in status error (absent when it has none).",
      expr: 'sum without (tracker_host, status) (porla_tracker_host_torrents{%(sel)s, status="error"}) / (sum without (tracker_host, status) (porla_tracker_host_torrents{%(sel)s, status!="inactive"}) > 0)',
    },
    {
      record: 'porla:instance_tracker_host_errors:sum',
      help: 'Torrent x tracker host pairs in status error per instance and error class (porla_tracker_host_errors summed over hosts).',
      expr: 'sum without (tracker_host) (porla_tracker_host_errors{%(sel)s})',
    },
    // Capacity per instance, each torrent once (the per-host sums count a torrent in each of
    // its hosts): the fleet dashboard's disk and upload.
    {
      record: 'porla:instance_torrents_size_bytes',
      help: 'porla_torrents_size_bytes under a name federation carries: bytes stored by the instance, each torrent once.',
      expr: 'porla_torrents_size_bytes{%(sel)s}',
    },
    {
      record: 'porla:instance_uploaded_bytes:rate1h',
      help: "Bytes per second the instance's torrents uploaded, over the last hour (rate of porla_uploaded_bytes_total, the exporter's own counter: a removed torrent takes nothing away).",
      expr: 'rate(porla_uploaded_bytes_total{%(sel)s}[1h])',
    },
  ] + $._capacityRecordingRules,

  // The exporter's headroom, forecast node-mixin style over _config.capacity.forecastWindow,
  // _config.capacity.forecastHorizon ahead (the Capacity dashboard reads them; the capacity
  // alerts inline the same predict_linear()). "Seconds left" is the time until the line through
  // the window reaches the limit: a year (the most shown) when it does not grow, 0 once reached.
  local c = $._config.capacity,
  local horizon = std.toString(lib.seconds(c.forecastHorizon)),
  local year = '31536000',
  local secondsLeft(limit, value) =
    'clamp((' + limit + ' - ' + value + ') / (deriv(' + value + '[' + c.forecastWindow + ']) > 0)'
    + ' or on (job, instance) ' + limit + ' * 0 + ' + year + ', 0, ' + year + ')',
  _capacityRecordingRules:: [
    {
      record: 'porla:instance_uncapped_series:predict_linear',
      help: 'The per-torrent series the cap counts, forecast _config.capacity.forecastHorizon ahead by predict_linear() over _config.capacity.forecastWindow.',
      expr: 'predict_linear(porla_exporter_uncapped_series{%(sel)s}[' + c.forecastWindow + '], ' + horizon + ')',
    },
    {
      record: 'porla:instance_poll_duration_seconds:predict_linear',
      help: 'The poll duration, forecast _config.capacity.forecastHorizon ahead by predict_linear() over _config.capacity.forecastWindow.',
      expr: 'predict_linear(porla_exporter_poll_duration_seconds{%(sel)s}[' + c.forecastWindow + '], ' + horizon + ')',
    },
    {
      record: 'porla:instance_series_cap:seconds_left',
      help: 'Seconds until the per-torrent series reach --collector.max-series at the growth of _config.capacity.forecastWindow (a year when they do not grow, 0 once the cap binds; absent without a cap).',
      expr: secondsLeft('(porla_exporter_max_series{%(sel)s} > 0)', 'porla_exporter_uncapped_series{%(sel)s}'),
    },
    {
      record: 'porla:instance_poll_interval:seconds_left',
      help: 'Seconds until a poll takes the whole --poll.interval at the growth of _config.capacity.forecastWindow (a year when polls do not grow longer, 0 once they take it).',
      expr: secondsLeft('porla_exporter_poll_interval_seconds{%(sel)s}', 'porla_exporter_poll_duration_seconds{%(sel)s}'),
    },
  ],

  // The expression template of a recording rule (`%(sel)s` not yet filled): alerts inline it.
  _recordingTemplate(name)::
    local found = [r for r in self._recordingRules if r.record == name];
    assert std.length(found) == 1 : 'no recording rule ' + name;
    found[0].expr,

  prometheusRules+:: {
    groups+: [{
      name: $._config.recordingGroupName,
      rules: [
        { record: r.record, expr: lib.promql($._config, r.expr) }
        for r in $._recordingRules
      ],
    }],
  },
}
