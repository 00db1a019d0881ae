// Every knob of the porla-exporter monitoring mixin. Override any of them with `+::`:
//
//   (import 'github.com/porla-exporter/porla-exporter/mixin/mixin.libsonnet') + {
//     _config+:: {
//       porlaExporterSelector: 'job="porla"',
//       alerts+: { PorlaTrackerHostFailing+: { threshold: 0.8, 'for': '30m' } },
//     },
//   }
//
// scripts/mixin renders the repository's committed files (rules/*.yml, alerting/grafana/*.yaml,
// dashboards/*.json) from these defaults.
{
  _config+:: {
    // Label matchers that select porla-exporter's scrape job, written as they appear inside `{}`.
    // Every query uses them: recording rules, alerts (Prometheus and Grafana) and the dashboards
    // (whose $job variable only offers jobs they match). Change it when your scrape job is not
    // called porla-exporter, e.g. 'job="porla"' or 'job="porla", env="prod"'. Prefer equality
    // matchers: absent(up{...}) can only name the missing target's labels from equality matchers.
    // An empty string selects every job.
    porlaExporterSelector: 'job="porla-exporter"',

    // Names of the Prometheus rule groups. Change them only if they clash with groups of yours.
    alertGroupName: 'porla-exporter.alerts',
    recordingGroupName: 'porla-exporter.recording',

    // Grafana-managed alert rules (alerting/grafana/porla-alerts.yaml, file provisioning).
    grafanaAlerting: {
      // Grafana organisation, folder and rule group the rules are provisioned into. Change them
      // to fit your Grafana (the notification-policies example routes on the folder).
      orgId: 1,
      folder: 'Porla',
      group: 'porla-exporter',
      // How often Grafana evaluates the group; `for` durations are multiples of it.
      interval: '1m',
      // Grafana expands environment variables in a provisioned rule's datasourceUid: export
      // DS_PROMETHEUS_UID=<uid of your Prometheus data source> in Grafana's environment, or put
      // the uid itself here.
      datasourceUid: '${DS_PROMETHEUS_UID}',
      // State when a query fails. 'Error' pages you about a broken data source; 'Alerting' or
      // 'OK' are the alternatives.
      execErrState: 'Error',
      // State when a query returns nothing. The queries return nothing when all is well, and
      // PorlaExporterAbsent covers a missing exporter, so keep 'OK'.
      noDataState: 'OK',
    },

    // Links. runbook_url = runbookBaseUrl + '#' + the alert's name in lower case: point it at
    // your own copy of docs/alerts.md if you keep runbooks elsewhere.
    runbookBaseUrl: 'https://github.com/porla-exporter/porla-exporter/blob/main/docs/alerts.md',
    // What each value of the error `class` label means; the dashboards' class panels link to it.
    classesDocUrl: 'https://github.com/porla-exporter/porla-exporter/blob/main/docs/metrics.md#error-classes',
    // Prepended to the `dashboard` annotation of the Prometheus alerts (e.g.
    // 'https://grafana.example.org'). Empty: the annotation is a path, /d/<uid>/?..., relative to
    // your Grafana. Set it so that Alertmanager notifications carry clickable links.
    grafanaUrl: '',

    // Dashboard uids (and file names, dashboards/<uid>.json). Alerts link to them. Change them
    // only if they clash with dashboards you already have.
    dashboardUids: {
      health: 'porla-tracker-health',
      drilldown: 'porla-tracker-drilldown',
      capacity: 'porla-capacity',
      fleet: 'porla-fleet',
    },
    // Tags of the dashboards; the "Porla dashboards" link menu lists the dashboards tagged
    // dashboardLinkTag.
    dashboardTags: ['porla', 'porla-exporter', 'bittorrent'],
    dashboardLinkTag: 'porla-exporter',
    // Default time range and refresh of the dashboards.
    dashboardTimeFrom: 'now-6h',
    dashboardRefresh: '1m',
    // Window of rate(), deriv() and friends in the dashboards. Grafana's $__rate_interval
    // follows the scrape interval of the data source; set a fixed window (e.g. '5m') only if
    // your Grafana cannot know the scrape interval.
    rateInterval: '$__rate_interval',

    // No false "resolved": while Porla is down or restarting, the exporter drops every
    // Porla-derived series (nothing stale is shown as fresh), so the tracker alerts (every alert
    // below except PorlaExporterAbsent, PorlaExporterDown, PorlaDown and PorlaExporterDataStale)
    // would resolve and, once Porla is back, wait their whole `for` again. They keep firing this
    // long after their condition was last met instead (Prometheus `keep_firing_for`; Grafana
    // `keepFiringFor` and `missing_series_evals_to_resolve`). An outage shorter than this sends no
    // notification for them; the price is that a real recovery is announced this much later.
    // PorlaDown (its own `for`) still fires for a longer outage. Whole seconds, minutes or hours
    // (e.g. '90s', '10m', '1h30m'); '0s' turns it off.
    trackerAlertsKeepFiringFor: '10m',
    // The alerts that silence per-torrent alerts in Alertmanager (PorlaTrackerHostFailing and
    // PorlaTrackerAccessDenied, see deploy/alertmanager/alertmanager.yml) keep firing this much
    // longer than trackerAlertsKeepFiringFor, so that they never end before the alerts they
    // silence: a host recovers over a poll or two, and the torrents it silenced would otherwise
    // go out as new notifications for the seconds they still keep firing. A few evaluation
    // intervals are enough.
    inhibitorKeepFiringMargin: '1m',

    // Which failing tracker hosts page (docs/alerts.md, "An outage's timeline"). Failures of
    // single torrents never page by themselves: at an outage's start the first torrents to fail
    // look exactly like torrents failing alone, so the host alerts, which count them, speak for
    // them.
    trackerHosts: {
      // A host with fewer active torrents than this is small: it fires
      // PorlaTrackerSmallHostFailing, grouped per instance, instead of PorlaTrackerHostFailing.
      fewTorrents: 10,
      // A failing host pages only when it leaves at least this many torrents announcing nowhere
      // (every tracker of the torrent in error: porla_tracker_host_stranded_torrents). A dead
      // tracker whose torrents all have a working tracker elsewhere is only shown and counted
      // in the dashboards.
      strandedTorrents: 1,
    },

    // Alerts: severity label, threshold and `for` duration of each. Raise a threshold or
    // lengthen `for` when an alert is noisy for your trackers; change a severity to fit your
    // routing. Each alert fires when its value (see alerts.libsonnet and docs/alerts.md)
    // compares with `threshold` as its operator says.
    alerts: {
      // absent(up) > threshold: no scrape target at all.
      PorlaExporterAbsent: { severity: 'critical', threshold: 0, 'for': '10m' },
      // up < threshold: the exporter cannot be scraped.
      PorlaExporterDown: { severity: 'critical', threshold: 1, 'for': '5m' },
      // porla_up < threshold: the exporter cannot poll Porla.
      PorlaDown: { severity: 'critical', threshold: 1, 'for': '5m' },
      // Seconds since the last successful poll > threshold. Keep it above a few poll
      // intervals (--poll.interval) plus the time a poll takes.
      PorlaExporterDataStale: { severity: 'warning', threshold: 180, 'for': '5m' },
      // Share (0..1) of a tracker host's active torrents in status error, not counting the
      // classes with an alert of their own (access_denied, unregistered) > threshold, on a host
      // with at least trackerHosts.fewTorrents active torrents that leaves at least
      // trackerHosts.strandedTorrents announcing nowhere. Once firing, it keeps firing until the
      // share falls to `recover` or below (hysteresis: a host recovering torrent by torrent
      // does not flap around the threshold).
      PorlaTrackerHostFailing: { severity: 'warning', threshold: 0.5, recover: 0.1, 'for': '15m' },
      // The same for the hosts with fewer active torrents than trackerHosts.fewTorrents (dead
      // trackers of public torrents, mostly). Alertmanager groups them per instance
      // (deploy/alertmanager/alertmanager.yml): one notification lists them all.
      PorlaTrackerSmallHostFailing: { severity: 'warning', threshold: 0.5, recover: 0.1, 'for': '15m' },
      // Trackers of a torrent not in error < threshold (1: every tracker fails). Per torrent:
      // severity info, never notified (deploy/alertmanager/alertmanager.yml routes alerts with
      // an info_hash to no receiver), shown in the dashboards; the host alerts count them.
      PorlaTorrentAllTrackersFailing: { severity: 'info', threshold: 1, 'for': '15m' },
      // Unregistered torrents on a tracker host > threshold.
      PorlaTorrentsUnregistered: { severity: 'warning', threshold: 0, 'for': '15m' },
      // Overdue announces on a tracker host > threshold.
      PorlaAnnouncesOverdue: { severity: 'warning', threshold: 0, 'for': '15m' },
      // Failures left before libtorrent gives a tracker up < threshold. Per torrent, like
      // PorlaTorrentAllTrackersFailing: severity info, never notified.
      PorlaTrackerFailLimitReached: { severity: 'info', threshold: 1, 'for': '5m' },
      // Torrents whose tracker on a host refuses the user (error class access_denied) >
      // threshold. Critical: nothing seeded on that tracker counts until it is fixed.
      PorlaTrackerAccessDenied: { severity: 'critical', threshold: 0, 'for': '15m' },
    },

    // Dashboard-only thresholds (colours of stat panels and tables). The thresholds that
    // mirror an alert (Porla up, data age, host error ratio) come from `alerts` above.
    dashboardThresholds: {
      // Seconds since the last successful poll shown orange (red is the
      // PorlaExporterDataStale threshold).
      dataAgeWarning: 90,
      // Host error ratio shown orange (red is the PorlaTrackerHostFailing threshold).
      errorRatioWarning: 0.1,
      // Poll duration in seconds shown orange and red: raise them for a large Porla whose
      // polls legitimately take longer.
      pollDurationWarning: 10,
      pollDurationCritical: 25,
      // Consecutive tracker failures shown orange and red in the tracker tables.
      trackerFailsWarning: 1,
      trackerFailsCritical: 5,
      // A torrent whose best tracker reports fewer seeders than this is listed as having
      // "few seeders" (capacity dashboard).
      fewSeeders: 2,
      // Counts (trackers in error, unregistered torrents, overdue announces, failing hosts or
      // torrents) shown orange or red from this value.
      count: 1,
    },
  },
}
