// Porla / Tracker health: the overview (Porla up, data age, failing hosts and torrents, error
// classes, overdue announces). A function of _config (see dashboards.libsonnet); q() fills a
// query template with the job selector, the $job/$instance matchers and the rate interval.
// Panels come from the constructors of grafana.libsonnet (described at its top).
local classes = import '../classes.libsonnet';
local lib = import '../lib.libsonnet';
local g = import 'grafana.libsonnet';
function(cfg)
  local q(t) = lib.dashboardQuery(cfg, t);
  local t = cfg.dashboardThresholds;
  local a = cfg.alerts;
  local failing = a.PorlaTrackerHostFailing.threshold;
  local classHelp = classes.help(cfg.classesDocUrl);
  g.dashboard(
    cfg,
    uid=cfg.dashboardUids.health,
    title='Porla / Tracker health',
    description='Tracker announce health of Porla, from porla-exporter: is Porla polled, which tracker hosts fail, which torrents suffer.',
    rows=[
      [
        g.stat(
          1,
          'Porla up',
          "porla_up: 1 when the exporter's last poll of Porla succeeded, 0 when it failed (Porla down, unreachable, or the token is rejected). Alert: PorlaDown.",
          q('porla_up{%(m)s}'),
          steps=g.steps('red', [['green', a.PorlaDown.threshold]]),
          mappings=g.upDown,
        ),
        g.stat(
          2,
          'Since last successful poll',
          'Age of the data: time() minus porla_exporter_last_successful_poll_timestamp_seconds. It should stay around the poll interval (30s by default). Alerts: PorlaExporterDataStale (over ' + lib.num(a.PorlaExporterDataStale.threshold) + 's), PorlaExporterDown/Absent when no value at all.',
          q('time() - porla_exporter_last_successful_poll_timestamp_seconds{%(m)s}'),
          unit='s',
          steps=g.steps('green', [['orange', t.dataAgeWarning], ['red', a.PorlaExporterDataStale.threshold]]),
        ),
        g.stat(3, 'Torrents', 'porla_torrents: torrents seen in the last successful poll.', q('porla_torrents{%(m)s}')),
        g.stat(
          4,
          'Trackers in error',
          'Torrent × tracker pairs whose status is error (recording rule porla:tracker_status:count).',
          q(lib.orZero('sum by (job, instance) (porla:tracker_status:count{%(m)s,status="error"})')),
          steps=g.steps('green', [['orange', t.count]]),
        ),
        g.stat(
          5,
          'Failing tracker hosts',
          'Tracker hosts where more than ' + lib.percent(failing) + ' of the active (not inactive) torrents are in status error, not counting access_denied and unregistered, which have alerts of their own (porla:tracker_host_torrents:failing_ratio > ' + lib.num(failing) + ', what PorlaTrackerHostFailing evaluates).',
          q(lib.orZero('count by (job, instance) (porla:tracker_host_torrents:failing_ratio{%(m)s} > ' + lib.num(failing) + ')')),
          steps=g.steps('green', [['red', t.count]]),
        ),
        g.stat(
          6,
          'Torrents failing on all trackers',
          'Torrents whose every tracker is in status error: they get no peers from trackers. Alert: PorlaTorrentAllTrackersFailing.',
          q(lib.orZero('count by (job, instance) (porla:torrent_trackers_error:count{%(m)s} == porla:torrent_trackers:count{%(m)s})')),
          steps=g.steps('green', [['red', t.count]]),
        ),
        g.stat(
          7,
          'Unregistered torrents',
          'Torrents whose tracker last said they are unregistered (porla_tracker_host_last_message_torrents{class="unregistered"}, summed over hosts: kept while the tracker cannot be reached). Alert: PorlaTorrentsUnregistered.',
          q('sum by (job, instance) (porla_tracker_host_last_message_torrents{%(m)s,class="unregistered"})'),
          steps=g.steps('green', [['orange', t.count]]),
        ),
        g.stat(
          8,
          'Overdue announces',
          "Torrent × host pairs whose next announce is past due by more than the exporter's --collector.overdue-grace and not in flight (porla_tracker_host_announces_overdue, summed over hosts). Alert: PorlaAnnouncesOverdue.",
          q('sum by (job, instance) (porla_tracker_host_announces_overdue{%(m)s})'),
          steps=g.steps('green', [['orange', t.count]]),
        ),
      ],
      [
        g.timeseries(
          9,
          'Torrents by tracker status',
          'porla_tracker_host_torrents summed over tracker hosts, by status. A torrent with trackers on two hosts counts twice.',
          [g.target(q('sum by (status) (porla_tracker_host_torrents{%(m)s})'), '{{status}}')],
          stack=true,
        ),
        g.timeseries(
          10,
          'Failing ratio per tracker host',
          "Share of each host's active torrents in status error, not counting access_denied and unregistered: they have alerts of their own, PorlaTrackerAccessDenied and PorlaTorrentsUnregistered (recording rule porla:tracker_host_torrents:failing_ratio). This is what PorlaTrackerHostFailing evaluates; the dashed line is its threshold (" + lib.percent(failing) + '). Every class per host: Torrents in error per tracker host by class.',
          [g.target(q('porla:tracker_host_torrents:failing_ratio{%(m)s}'), '{{tracker_host}} ({{instance}})')],
          unit='percentunit',
          max=1,
          steps=g.steps('green', [['red', failing]]),
          thresholdsStyle='dashed',
        ),
      ],
      [
        g.table(
          11,
          'Torrents per tracker host by status',
          'Current porla_tracker_host_torrents as a matrix: one row per tracker host, one column per status.',
          q('sum by (tracker_host, status) (porla_tracker_host_torrents{%(m)s})'),
          [g.matrix('tracker_host', 'status')],
        ),
        g.timeseries(
          12,
          'Tracker errors by class',
          'Torrents in status error by error class (porla_tracker_host_errors summed over hosts; a torrent failing with two classes counts in both). ' + classHelp,
          [g.target(q('sum by (class) (porla_tracker_host_errors{%(m)s})'), '{{class}}')],
          stack=true,
          overrides=g.fieldColors(classes.colors),
        ),
      ],
      [
        g.table(
          17,
          'Torrents in error per tracker host by class',
          'Current porla_tracker_host_errors as a matrix: one row per tracker host, one column per error class that has torrents in error now (a torrent failing with two classes on a host counts in both). Alerts: PorlaTrackerAccessDenied (access_denied), PorlaTorrentsUnregistered (unregistered), PorlaTrackerHostFailing (most torrents of a host failing with the other classes). ' + classHelp,
          q('sum by (tracker_host, class) (porla_tracker_host_errors{%(m)s}) > 0'),
          [g.matrix('tracker_host', 'class')],
          overrides=g.fieldColors(classes.colors, table=true),
        ),
        g.timeseries(
          18,
          'Tracker errors per host and class',
          'Torrents in status error per tracker host and error class over time (porla_tracker_host_errors, only the classes with torrents in error). ' + classHelp,
          [g.target(q('porla_tracker_host_errors{%(m)s} > 0'), '{{tracker_host}}: {{class}} ({{instance}})')],
        ),
      ],
      [
        g.timeseries(
          13,
          'Overdue announces per tracker host',
          'porla_tracker_host_announces_overdue: torrents whose next announce to the host is past due beyond the grace period and not in flight.',
          [g.target(q('porla_tracker_host_announces_overdue{%(m)s}'), '{{tracker_host}} ({{instance}})')],
        ),
        g.timeseries(
          16,
          'Polls and poll errors per minute',
          'Exporter polls by result (porla_exporter_polls_total) and failed polls by cause (porla_exporter_poll_errors_total), per minute.',
          [
            g.target(q('sum by (job, instance, result) (rate(porla_exporter_polls_total{%(m)s}[%(rate)s])) * 60'), '{{instance}} {{result}}'),
            g.target(q('sum by (job, instance, class) (rate(porla_exporter_poll_errors_total{%(m)s}[%(rate)s])) * 60'), '{{instance}} error: {{class}}'),
          ],
          unit='cpm',
        ),
      ],
      g.table(
        14,
        'Worst trackers (most consecutive failures)',
        'The 20 trackers in status error with the most consecutive failed announces (porla_tracker_fails), with the error class and the torrent name (joined from porla_torrent_info). Also the place to look for PorlaTrackerFailLimitReached. ' + classes.help(cfg.classesDocUrl, 'Error class colours'),
        q('topk(20, porla_tracker_fails{%(m)s} * ignoring (class) group_left (class) porla_tracker_last_error{%(m)s} * on (job, instance, info_hash) group_left (name) porla_torrent_info{%(m)s})'),
        [g.organize({ Value: 'consecutive fails', name: 'torrent', class: 'error class' })],
        steps=g.steps('green', [['orange', t.trackerFailsWarning], ['red', t.trackerFailsCritical]]),
        overrides=[g.colorText('consecutive fails'), g.valueColors('error class', classes.colors)],
        sortDesc='consecutive fails',
      ) + { height:: 10 },
      g.table(
        15,
        'Torrents failing on all trackers',
        'Torrents whose every tracker is in status error; the value is the number of trackers. Alert: PorlaTorrentAllTrackersFailing (severity info, never notified: the host alerts count these torrents).',
        q('(porla:torrent_trackers_error:count{%(m)s} == porla:torrent_trackers:count{%(m)s}) * on (job, instance, info_hash) group_left (name) porla_torrent_info{%(m)s}'),
        [g.organize({ Value: 'trackers', name: 'torrent' })],
        sortDesc='trackers',
      ),
      [
        g.stat(
          19,
          'Failing hosts nothing depends on',
          'Tracker hosts failing for more than ' + lib.percent(failing) + ' of their active torrents while every one of those torrents still has a working tracker elsewhere (porla_tracker_host_stranded_torrents == 0): dead trackers of public torrents, mostly. They page no one (docs/alerts.md).',
          q(lib.orZero('count by (job, instance) (porla:tracker_host_torrents:failing_ratio{%(m)s} > ' + lib.num(failing) + ' and on (job, instance, tracker_host) porla_tracker_host_stranded_torrents{%(m)s} == 0)')),
          steps=g.steps('green', [['orange', t.count]]),
        ),
        g.table(
          20,
          'Torrents announcing nowhere per tracker host',
          'porla_tracker_host_stranded_torrents: torrents with a tracker on the host whose every tracker is in status error. PorlaTrackerHostFailing and PorlaTrackerSmallHostFailing fire only for hosts that leave at least ' + lib.num(cfg.trackerHosts.strandedTorrents) + ' such torrent(s).',
          q('porla_tracker_host_stranded_torrents{%(m)s}'),
          [g.organize({ Value: 'torrents announcing nowhere' })],
          sortDesc='torrents announcing nowhere',
        ),
      ],
      [
        g.table(
          21,
          'What the trackers last said per host, by class',
          "porla_tracker_host_last_message_torrents as a matrix: torrents by the class of their tracker's last failure message of its own, kept while the tracker cannot be reached (network errors are libtorrent's words, not the tracker's). Alerts: PorlaTorrentsUnregistered (unregistered), PorlaTrackerAccessDenied (access_denied). " + classHelp,
          q('sum by (tracker_host, class) (porla_tracker_host_last_message_torrents{%(m)s}) > 0'),
          [g.matrix('tracker_host', 'class')],
          overrides=g.fieldColors(classes.colors, table=true),
        ),
      ],
    ],
  )
