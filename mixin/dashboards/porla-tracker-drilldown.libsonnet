// Porla / Tracker host drill-down: one tracker host ($tracker_host) in detail. A function of
// _config (see dashboards.libsonnet); q() fills a query template with the job selector, the
// $job/$instance matchers and the rate interval. Panels come from the constructors of
// grafana.libsonnet (described at its top).
local classes = import '../classes.libsonnet';
local lib = import '../lib.libsonnet';
local g = import 'grafana.libsonnet';
function(cfg)
  local q(t) = lib.dashboardQuery(cfg, t);
  local t = cfg.dashboardThresholds;
  local a = cfg.alerts;
  local classHelp = classes.help(cfg.classesDocUrl);
  g.dashboard(
    cfg,
    uid=cfg.dashboardUids.drilldown,
    title='Porla / Tracker host drill-down',
    description='One tracker host in detail: its torrents by status, failures and error classes, swarm sizes, announce schedule and failing torrents.',
    rows=[
      [
        g.stat(
          1,
          'Torrents on host',
          'Torrents with at least one tracker on $tracker_host (porla_tracker_host_torrents summed over statuses).',
          q('sum by (job, instance) (porla_tracker_host_torrents{%(m)s,tracker_host="$tracker_host"})'),
        ),
        g.stat(
          2,
          'Failing ratio',
          "Share of the host's active (not inactive) torrents in status error, not counting access_denied and unregistered, which have alerts of their own (porla:tracker_host_torrents:failing_ratio). PorlaTrackerHostFailing fires above " + lib.percent(a.PorlaTrackerHostFailing.threshold) + '. All errors by class: Errors by class.',
          q('porla:tracker_host_torrents:failing_ratio{%(m)s,tracker_host="$tracker_host"}'),
          unit='percentunit',
          steps=g.steps('green', [['orange', t.errorRatioWarning], ['red', a.PorlaTrackerHostFailing.threshold]]),
        ),
        g.stat(
          3,
          'Seeders',
          "Sum of seeders over the host's torrents that report scrape data (porla_tracker_host_scrape_complete).",
          q('porla_tracker_host_scrape_complete{%(m)s,tracker_host="$tracker_host"}'),
        ),
        g.stat(
          4,
          'Leechers',
          "Sum of leechers over the host's torrents that report scrape data (porla_tracker_host_scrape_incomplete).",
          q('porla_tracker_host_scrape_incomplete{%(m)s,tracker_host="$tracker_host"}'),
        ),
        g.stat(
          5,
          'Overdue announces',
          'Torrents whose next announce to this host is past due beyond the grace period (porla_tracker_host_announces_overdue).',
          q('porla_tracker_host_announces_overdue{%(m)s,tracker_host="$tracker_host"}'),
          steps=g.steps('green', [['orange', t.count]]),
        ),
        g.stat(
          6,
          'Torrents with scrape data',
          'Torrents whose trackers on this host report scrape counts (porla_tracker_host_scrape_reporting_torrents).',
          q('porla_tracker_host_scrape_reporting_torrents{%(m)s,tracker_host="$tracker_host"}'),
        ),
      ],
      [
        g.timeseries(
          7,
          'Torrents by status',
          "The host's torrents by tracker status over time (porla_tracker_host_torrents).",
          [g.target(q('porla_tracker_host_torrents{%(m)s,tracker_host="$tracker_host"}'), '{{status}} ({{instance}})')],
          stack=true,
        ),
        g.timeseries(
          8,
          'Errors by class',
          "The host's torrents in status error by error class (porla_tracker_host_errors; a torrent failing with two classes counts in both). Alerts: PorlaTrackerAccessDenied (access_denied), PorlaTorrentsUnregistered (unregistered), PorlaTrackerHostFailing (the other classes, for most of the host's torrents). " + classHelp,
          [g.target(q('porla_tracker_host_errors{%(m)s,tracker_host="$tracker_host"} > 0'), '{{class}} ({{instance}})')],
          stack=true,
          overrides=g.fieldColors(classes.colors, '^%s \\('),
        ),
      ],
      [
        g.timeseries(
          9,
          'Consecutive failures',
          "Largest and average consecutive failed announces over the host's trackers (porla_tracker_fails), and how many of them are in status error. In attention mode (--collector.tracker.per-torrent=attention) the maximum and the count in error are complete, the average covers the trackers of the torrents in the attention set only.",
          [
            g.target(q('max by (job, instance) (porla_tracker_fails{%(m)s,tracker_host="$tracker_host"})'), 'max fails ({{instance}})'),
            g.target(q('avg by (job, instance) (porla_tracker_fails{%(m)s,tracker_host="$tracker_host"})'), 'avg fails ({{instance}})'),
            g.target(q('count by (job, instance) (porla_tracker_status{%(m)s,tracker_host="$tracker_host",status="error"})'), 'trackers in error ({{instance}})'),
          ],
        ),
        g.timeseries(
          10,
          'Seeders and leechers',
          "Swarm size according to the tracker: sums over the host's torrents that report scrape data.",
          [
            g.target(q('porla_tracker_host_scrape_complete{%(m)s,tracker_host="$tracker_host"}'), 'seeders ({{instance}})'),
            g.target(q('porla_tracker_host_scrape_incomplete{%(m)s,tracker_host="$tracker_host"}'), 'leechers ({{instance}})'),
          ],
        ),
      ],
      [
        g.timeseries(
          11,
          'Completed downloads',
          "Completed downloads according to the tracker, summed over the host's torrents (porla_tracker_host_scrape_downloaded).",
          [g.target(q('porla_tracker_host_scrape_downloaded{%(m)s,tracker_host="$tracker_host"}'), '{{instance}}')],
        ),
        g.histogram(
          12,
          'Next announce spread',
          "Distribution of the time until each tracker's next announce on this host (porla_tracker_next_announce_timestamp_seconds - time()); negative values are overdue. Unscheduled announces have no value. In attention mode (--collector.tracker.per-torrent=attention) only the torrents in the attention set have a value: every overdue announce is there, the healthy torrents' are not.",
          q('porla_tracker_next_announce_timestamp_seconds{%(m)s,tracker_host="$tracker_host"} - time()'),
          unit='s',
        ),
        g.timeseries(
          14,
          'Next announce quantiles',
          "Minimum, median and 90th percentile of the time until the next announce over the host's trackers. A minimum far below zero means overdue announces. In attention mode (--collector.tracker.per-torrent=attention) over the torrents in the attention set only: the minimum is complete (overdue torrents are in the set), the median and p90 are not.",
          [
            g.target(q('min by (job, instance) (porla_tracker_next_announce_timestamp_seconds{%(m)s,tracker_host="$tracker_host"} - time())'), 'min ({{instance}})'),
            g.target(q('quantile by (job, instance) (0.5, porla_tracker_next_announce_timestamp_seconds{%(m)s,tracker_host="$tracker_host"} - time())'), 'median ({{instance}})'),
            g.target(q('quantile by (job, instance) (0.9, porla_tracker_next_announce_timestamp_seconds{%(m)s,tracker_host="$tracker_host"} - time())'), 'p90 ({{instance}})'),
          ],
          unit='s',
          min=null,
        ),
      ],
      g.table(
        13,
        'Failing torrents on this host',
        'Trackers on $tracker_host in status error, with their consecutive failures, error class and torrent name: the torrents behind PorlaTrackerAccessDenied (access_denied) and PorlaTorrentsUnregistered (unregistered). ' + classes.help(cfg.classesDocUrl, 'Error class colours'),
        q('porla_tracker_fails{%(m)s,tracker_host="$tracker_host"} * ignoring (class) group_left (class) porla_tracker_last_error{%(m)s,tracker_host="$tracker_host"} * on (job, instance, info_hash) group_left (name) porla_torrent_info{%(m)s}'),
        [g.organize({ Value: 'consecutive fails', name: 'torrent', class: 'error class' }, hide=['tracker_host'])],
        steps=g.steps('green', [['orange', t.trackerFailsWarning], ['red', t.trackerFailsCritical]]),
        overrides=[g.colorText('consecutive fails'), g.valueColors('error class', classes.colors)],
        sortDesc='consecutive fails',
      ) + { height:: 10 },
    ],
    variables=[
      g.queryVariable('tracker_host', 'Tracker host', q('label_values(porla_tracker_host_torrents{%(m)s}, tracker_host)'), multi=false),
    ],
  )
