// The alerts, in two forms built from one definition each:
//   prometheusAlerts  Prometheus alerting rules (rules/porla-exporter.rules.yml)
//   grafanaAlerts     the same alerts as Grafana-managed alert rules, in Grafana's alerting
//                     file-provisioning format (alerting/grafana/porla-alerts.yaml)
//
// Each alert is `<value> <op> <threshold>`:
//   - Prometheus gets `value op threshold` (value in parentheses when `wrap`, i.e. when it holds
//     a comparison or set operator), so {{ $value }} in the annotations is the value;
//   - Grafana gets query A = value, B = reduce(last, drop NaN) of A, C = threshold (op,
//     threshold) of B. In Grafana annotations `$value` becomes `$values.B.Value`.
// Severity, threshold and `for` come from _config.alerts; `%(sel)s` in a value is
// _config.porlaExporterSelector. Every alert not marked `instanceLevel` is a tracker alert: it
// keeps firing for _config.trackerAlertsKeepFiringFor after its condition was last met.
// The flags `instanceLevel`, `wrap` and `silencesTorrentAlerts` are false unless a definition
// sets them; `dashboard` names a _config.dashboardUids entry and `panel` a panel id in it.
// `notify: false` marks the alerts about single torrents, which never notify (docs/alerts.md,
// "An outage's timeline"): Grafana does not get them. A `recover` value in _config.alerts gives
// an alert hysteresis: once firing it holds while its value is past `recover` (Prometheus: its
// own ALERTS series; Grafana: the threshold's recovery threshold).
//
// Order matters: Prometheus evaluates the rules of a group in order and sends each rule's alerts
// as it goes. PorlaTrackerAccessDenied and PorlaTrackerHostFailing come after the per-torrent
// alerts they inhibit in Alertmanager, so that when a host recovers the torrents' resolved
// alerts reach Alertmanager before the host's: an inhibited alert never shows between the two.
//
// One cause, one alert: a class with a host alert of its own (classes.libsonnet: access_denied,
// unregistered) fires only that alert, not PorlaTrackerHostFailing nor the per-torrent alerts.
//
// Placeholders in summary/description: %(threshold)s, %(threshold_percent)s, %(for)s.
local classes = import 'classes.libsonnet';
local lib = import 'lib.libsonnet';

{
  // The failing share of a tracker host whose failures leave at least
  // _config.trackerHosts.strandedTorrents torrents announcing nowhere, and whose active torrents
  // compare with _config.trackerHosts.fewTorrents as `size` says ('>=' large, '<' small).
  local hostFailing(size) =
    local h = $._config.trackerHosts;
    $._recordingTemplate('porla:tracker_host_torrents:failing_ratio')
    + ' and on (job, instance, tracker_host) porla_tracker_host_stranded_torrents{%(sel)s} >= ' + lib.num(h.strandedTorrents)
    + ' and on (job, instance, tracker_host) sum without (status) (porla_tracker_host_torrents{%(sel)s, status!="inactive"}) ' + size + ' ' + lib.num(h.fewTorrents),

  _alertDefinitions:: [
    // Instance level: they inhibit the tracker alerts of their instance in Alertmanager.
    {
      name: 'PorlaExporterAbsent',
      instanceLevel: true,
      uid: 'porla-exporter-absent',
      value: 'absent(up{%(sel)s})',
      op: '>',
      summary: 'Prometheus has no porla-exporter target',
      description: "Prometheus has had no `up` series of job {{ $labels.job }} for %(for)s: porla-exporter is not scraped, so nothing about Porla's trackers is monitored.",
      dashboard: 'health',
      panel: 2,
    },
    {
      name: 'PorlaExporterDown',
      instanceLevel: true,
      uid: 'porla-exporter-down',
      value: 'up{%(sel)s}',
      op: '<',
      summary: 'porla-exporter {{ $labels.instance }} cannot be scraped',
      description: 'Prometheus has failed to scrape porla-exporter at {{ $labels.instance }} (job {{ $labels.job }}) for %(for)s (up = {{ $value }}). Tracker metrics from this instance are missing.',
      dashboard: 'health',
      panel: 2,
    },
    {
      name: 'PorlaDown',
      instanceLevel: true,
      uid: 'porla-down',
      value: 'porla_up{%(sel)s}',
      op: '<',
      summary: 'porla-exporter {{ $labels.instance }} cannot poll Porla',
      description: "The last polls of Porla by porla-exporter {{ $labels.instance }} failed for %(for)s (porla_up = {{ $value }}). Porla is down, unreachable or rejects the exporter's token; porla_exporter_poll_errors_total tells which.",
      dashboard: 'health',
      panel: 1,
    },
    {
      name: 'PorlaExporterDataStale',
      instanceLevel: true,
      uid: 'porla-exporter-data-stale',
      value: 'time() - porla_exporter_last_successful_poll_timestamp_seconds{%(sel)s} unless on (job, instance) porla_up{%(sel)s} == 0',
      wrap: true,
      op: '>',
      summary: 'porla-exporter {{ $labels.instance }} serves stale data',
      description: 'The last successful poll of porla-exporter {{ $labels.instance }} is {{ $value | humanizeDuration }} old (threshold %(threshold)ss) although porla_up still says 1: the poll loop is stuck or far slower than its interval.',
      dashboard: 'health',
      panel: 2,
    },
    {
      name: 'PorlaTorrentAllTrackersFailing',
      uid: 'porla-torrent-all-trackers-failing',
      // Value: the torrent's trackers that are not in status error (0 = every tracker fails).
      local trackers = $._recordingTemplate('porla:torrent_trackers:count'),
      local trackersOk = 'count without (tracker, tracker_host, tier, status, endpoint, protocol) (porla_tracker_status{%(sel)s, status!="error"})',
      // Labels: the torrent's, plus tracker_host when all its trackers are on one host, so that
      // Alertmanager can inhibit exactly the torrents a PorlaTrackerHostFailing alert explains
      // (deploy/alertmanager/alertmanager.yml). The host factor is 1 for every torrent: its one
      // host (`hosts` has one series per host, kept unless the torrent has several), or else no
      // host label at all.
      local hosts = 'group without (tracker, tier, status, endpoint, protocol) (porla_tracker_status{%(sel)s})',
      local oneHost = hosts + ' unless on (job, instance, info_hash) count without (tracker_host) (' + hosts + ') > 1',
      local noHost = 'group without (tracker, tracker_host, tier, status, endpoint, protocol) (porla_tracker_status{%(sel)s})',
      // Left out (`unless`): a torrent whose every tracker fails with a class that has a host
      // alert of its own (classes.libsonnet): PorlaTorrentsUnregistered or
      // PorlaTrackerAccessDenied reports it.
      // The class is what the tracker last said itself (porla_tracker_last_message), which a
      // network failure does not change.
      local trackersOwnAlert = 'count without (tracker, tracker_host, tier, class, endpoint, protocol) (porla_tracker_last_message{%(sel)s, class=~"' + classes.ownAlertRegex + '"})',
      value: '(' + trackersOk + ' or ' + trackers + ' * 0)'
             + ' * on (job, instance, info_hash) group_left (name) porla_torrent_info{%(sel)s}'
             + ' * on (job, instance, info_hash) group_left (tracker_host) (' + oneHost + ' or on (job, instance, info_hash) ' + noHost + ')'
             + ' unless on (job, instance, info_hash) (' + trackersOwnAlert + ' == ' + trackers + ')',
      wrap: true,
      op: '<',
      // Per torrent: never notified (see _config.trackerHosts); the host alerts count it.
      notify: false,
      summary: 'Torrent {{ $labels.name }} fails on all of its trackers',
      description: 'Every tracker of torrent {{ $labels.name }} ({{ $labels.info_hash }}, porla-exporter {{ $labels.instance }}) has been in status error for %(for)s: the torrent cannot find peers through trackers.',
      dashboard: 'health',
      panel: 15,
    },
    {
      name: 'PorlaTorrentsUnregistered',
      uid: 'porla-torrents-unregistered',
      // What the tracker last said itself: a tracker outage does not resolve it, nor its end
      // fire it again.
      value: 'porla_tracker_host_last_message_torrents{%(sel)s, class="unregistered"}',
      op: '>',
      summary: '{{ $value }} torrent(s) unregistered on {{ $labels.tracker_host }}',
      description: 'Tracker host {{ $labels.tracker_host }} reports {{ $value }} torrent(s) of porla-exporter {{ $labels.instance }} as unregistered (not found / deleted on the tracker) for %(for)s.',
      dashboard: 'drilldown',
      panel: 13,
    },
    {
      name: 'PorlaAnnouncesOverdue',
      uid: 'porla-announces-overdue',
      value: 'porla_tracker_host_announces_overdue{%(sel)s}',
      op: '>',
      summary: 'Announces to {{ $labels.tracker_host }} are overdue',
      description: "{{ $value }} torrent(s) of porla-exporter {{ $labels.instance }} have an announce to {{ $labels.tracker_host }} that is past due (beyond the exporter's --collector.overdue-grace) and not in flight, for %(for)s (threshold %(threshold)s).",
      dashboard: 'health',
      panel: 13,
    },
    {
      name: 'PorlaTrackerFailLimitReached',
      uid: 'porla-tracker-fail-limit-reached',
      // Value: failures left before libtorrent gives the tracker up (<= 0: given up). Trackers
      // with fail_limit 0 (unlimited) are left out, and so are trackers failing with a class that
      // has a host alert of its own (classes.libsonnet): that alert reports them. fails,
      // fail_limit and last_error (less class) have identical label sets.
      value: '(((porla_tracker_fail_limit{%(sel)s} > 0) - porla_tracker_fails{%(sel)s}) unless ignoring (class) porla_tracker_last_message{%(sel)s, class=~"' + classes.ownAlertRegex + '"}) * on (job, instance, info_hash) group_left (name) porla_torrent_info{%(sel)s}',
      notify: false,
      wrap: true,
      op: '<',
      summary: 'Tracker {{ $labels.tracker_host }} given up for torrent {{ $labels.name }}',
      description: 'Tracker {{ $labels.tracker }} (tier {{ $labels.tier }}) of torrent {{ $labels.name }} ({{ $labels.info_hash }}, porla-exporter {{ $labels.instance }}) has failed as often as its fail limit allows: libtorrent no longer announces to it.',
      dashboard: 'health',
      panel: 14,
    },
    {
      name: 'PorlaTrackerAccessDenied',
      uid: 'porla-tracker-access-denied',
      value: 'porla_tracker_host_last_message_torrents{%(sel)s, class="access_denied"}',
      op: '>',
      summary: '{{ $labels.tracker_host }} refuses porla-exporter {{ $labels.instance }} for {{ $value }} torrent(s)',
      description: 'Tracker host {{ $labels.tracker_host }} has refused the account, passkey, client or IP address (error class access_denied) for {{ $value }} torrent(s) of porla-exporter {{ $labels.instance }} for %(for)s: nothing seeded there counts until it is fixed.',
      dashboard: 'drilldown',
      panel: 13,
      silencesTorrentAlerts: true,
    },
    {
      name: 'PorlaTrackerSmallHostFailing',
      uid: 'porla-tracker-small-host-failing',
      value: hostFailing('<'),
      wrap: true,
      op: '>',
      summary: 'Small tracker host {{ $labels.tracker_host }} fails',
      description: '{{ $value | humanizePercentage }} of the few active torrents on tracker host {{ $labels.tracker_host }} (porla-exporter {{ $labels.instance }}) are in status error, and some of them announce nowhere else (threshold %(threshold_percent)s, for %(for)s). A host with fewer than %(few)s active torrents; the notification lists every such host of the instance.',
      dashboard: 'drilldown',
      panel: 2,
      silencesTorrentAlerts: true,
    },
    {
      name: 'PorlaTrackerHostFailing',
      uid: 'porla-tracker-host-failing',
      // The share of the recording rule porla:tracker_host_torrents:failing_ratio (in status
      // error, less the classes with a host alert of their own), on a host of at least
      // _config.trackerHosts.fewTorrents active torrents that leaves torrents announcing nowhere.
      value: hostFailing('>='),
      wrap: true,
      op: '>',
      summary: 'Tracker host {{ $labels.tracker_host }} fails for most torrents',
      description: '{{ $value | humanizePercentage }} of the active torrents on tracker host {{ $labels.tracker_host }} (porla-exporter {{ $labels.instance }}) are in status error, not counting access_denied and unregistered, which have alerts of their own (threshold %(threshold_percent)s, for %(for)s).',
      dashboard: 'drilldown',
      panel: 2,
      silencesTorrentAlerts: true,
    },
  ],

  // Each definition joined with its _config.alerts entry; the value filled with the selector.
  _alerts:: [
    local settings = $._config.alerts[a.name];
    local placeholders = {
      threshold: lib.num(settings.threshold),
      threshold_percent: lib.percent(settings.threshold),
      few: lib.num($._config.trackerHosts.fewTorrents),
      'for': settings['for'],
    };
    { instanceLevel: false, wrap: false, silencesTorrentAlerts: false, notify: true } + a + settings + {
      valueExpr: lib.promql($._config, a.value),
      summaryText: a.summary % placeholders,
      descriptionText: a.description % placeholders,
      runbookUrl: $._config.runbookBaseUrl + '#' + lib.anchor(a.name),
      dashboardUid: $._config.dashboardUids[a.dashboard],
      local bound = lib.seconds($._config.trackerAlertsKeepFiringFor),
      // An alert that silences per-torrent alerts in Alertmanager (alertmanager.yml) outlives them
      // by _config.inhibitorKeepFiringMargin: were it to resolve first, they would go out as new
      // notifications for the seconds they still keep firing.
      keepFiringFor:
        if self.instanceLevel then null
        else if bound == 0 then null
        else if self.silencesTorrentAlerts then
          lib.duration(bound + lib.seconds($._config.inhibitorKeepFiringMargin))
        else $._config.trackerAlertsKeepFiringFor,
    }
    for a in $._alertDefinitions
  ],

  local grafanaEvaluator = { '>': 'gt', '<': 'lt' },

  // A Grafana link for Prometheus alerts; variables come from the alert's labels when present
  // (the drill-down dashboard also has $tracker_host).
  local dashboardLink(cfg, a) =
    local vars = ['job', 'instance'] + (if a.dashboard == 'drilldown' then ['tracker_host'] else []);
    local base = std.rstripChars(cfg.grafanaUrl, '/');
    '%s/d/%s/?viewPanel=%d%s' % [
      base,
      a.dashboardUid,
      a.panel,
      std.join('', ['{{ with $labels.%s }}&var-%s={{ . }}{{ end }}' % [v, v] for v in vars]),
    ],

  prometheusAlerts+:: {
    groups+: [{
      name: $._config.alertGroupName,
      rules: [
        {
          alert: a.name,
          local value = if a.wrap then '(' + a.valueExpr + ')' else a.valueExpr,
          // With `recover`: once firing (ALERTS), the alert holds while the value is past it.
          expr: '%s %s %s' % [value, a.op, lib.num(a.threshold)] + (
            if std.objectHas(a, 'recover') then
              ' or (%s %s %s and on (job, instance, tracker_host) %s)' % [
                value,
                a.op,
                lib.num(a.recover),
                lib.promql($._config, 'ALERTS{%(sel)s, alertname="' + a.name + '", alertstate="firing"}'),
              ]
            else ''
          ),
          'for': a['for'],
          [if a.keepFiringFor != null then 'keep_firing_for']: a.keepFiringFor,
          labels: { severity: a.severity },
          annotations: {
            summary: a.summaryText,
            description: a.descriptionText,
            runbook_url: a.runbookUrl,
            dashboard: dashboardLink($._config, a),
          },
        }
        for a in $._alerts
      ],
    }],
  },

  // Grafana-managed alert rules: the document of a Grafana alerting provisioning file
  // (apiVersion 1, one rule group). Prometheus's $value is Grafana's $values.B.Value.
  grafanaAlerts+:: {
    local g = $._config.grafanaAlerting,
    local exprDs = { type: '__expr__', uid: '__expr__' },
    local grafanaText(s) = std.strReplace(s, '$value ', '$values.B.Value '),
    apiVersion: 1,
    groups+: [{
      orgId: g.orgId,
      name: g.group,
      folder: g.folder,
      interval: g.interval,
      rules: [
        {
          uid: a.uid,
          title: a.name,
          condition: 'C',
          data: [
            {
              refId: 'A',
              relativeTimeRange: { from: 600, to: 0 },
              datasourceUid: g.datasourceUid,
              model: {
                refId: 'A',
                expr: a.valueExpr,
                instant: true,
                range: false,
                intervalMs: 1000,
                maxDataPoints: 43200,
              },
            },
            {
              refId: 'B',
              datasourceUid: '__expr__',
              model: {
                refId: 'B',
                type: 'reduce',
                datasource: exprDs,
                expression: 'A',
                reducer: 'last',
                settings: { mode: 'dropNN' },
              },
            },
            {
              refId: 'C',
              datasourceUid: '__expr__',
              model: {
                refId: 'C',
                type: 'threshold',
                datasource: exprDs,
                expression: 'B',
                conditions: [{
                  type: 'query',
                  evaluator: { type: grafanaEvaluator[a.op], params: [a.threshold] },
                  // Grafana's recovery threshold: a firing instance holds until the value
                  // passes it (grafana/grafana, public/app/features/expressions,
                  // thresholdReducer: unloadEvaluator).
                  [if std.objectHas(a, 'recover') then 'unloadEvaluator']: {
                    type: grafanaEvaluator[{ '>': '<', '<': '>' }[a.op]],
                    params: [a.recover],
                  },
                  operator: { type: 'and' },
                  query: { params: ['C'] },
                  reducer: { type: 'last', params: [] },
                }],
              },
            },
          ],
          noDataState: g.noDataState,
          execErrState: g.execErrState,
          'for': a['for'],
          // Grafana 12.1.2 and later read these two from provisioning files (grafana/grafana
          // pull request 109699, pkg/services/provisioning/alerting/rules_types.go); older
          // versions ignore them. keepFiringFor covers a condition that stops holding; a series
          // that vanishes (Porla down: the exporter drops it) is resolved only after
          // missing_series_evals_to_resolve evaluations without it, so that count covers the
          // same bound.
          [if a.keepFiringFor != null then 'keepFiringFor']: a.keepFiringFor,
          [if a.keepFiringFor != null then 'missing_series_evals_to_resolve']:
            std.ceil(lib.seconds(a.keepFiringFor) / lib.seconds(g.interval)) + 1,
          labels: { severity: a.severity },
          annotations: {
            summary: grafanaText(a.summaryText),
            description: grafanaText(a.descriptionText),
            runbook_url: a.runbookUrl,
            __dashboardUid__: a.dashboardUid,
            __panelId__: std.toString(a.panel),
          },
          isPaused: false,
        }
        // The per-torrent alerts never notify (_config.trackerHosts): Grafana, which cannot
        // route an alert to no one, does not get them; the dashboards show those torrents.
        for a in $._alerts
        if a.notify
      ],
    }],
  },
}
