// Porla / Fleet: one row per Porla instance (exporter target) with its health, data age,
// torrents, error ratio and errors by class, made for a global Prometheus that holds only the
// series federation carries (docs/deployment.md, "Scaling past one machine"): it reads porla_up,
// porla_torrents and recording rules (porla:..., see rules.libsonnet), nothing else. A test
// (tests/it/dashboards.rs) checks every series it reads against the documented match[].
// A function of _config (see dashboards.libsonnet); q() fills a query template with the job
// selector, the $job/$instance matchers and the rate interval. Panels come from the
// constructors of grafana.libsonnet (described at its top).
local lib = import '../lib.libsonnet';
local g = import 'grafana.libsonnet';
function(cfg)
  local q(t) = lib.dashboardQuery(cfg, t);
  local t = cfg.dashboardThresholds;
  local a = cfg.alerts;
  local ratioSteps = g.steps('green', [['orange', t.errorRatioWarning], ['red', a.PorlaTrackerHostFailing.threshold]]);
  // On a global Prometheus a federated series outlives its exporter by up to 5 minutes (federated
  // samples carry timestamps, so no staleness marker ends them): live(x) keeps x only while the
  // exporter's scrape succeeds, so that no stale value is shown as current.
  local live(expr) = expr + ' and on (job, instance) porla:instance_exporter_up{%(m)s} == 1';
  // A column of the instance table. g.merge joins the queries' rows only where the columns they
  // share agree, and a metric name is a column (__name__): `max without ()` drops it and keeps
  // every other label.
  local column(expr) = g.target(q('max without () (' + expr + ')'));
  local ageSteps = g.steps('green', [['orange', t.dataAgeWarning], ['red', a.PorlaExporterDataStale.threshold]]);
  // Data links into the per-instance dashboards, keeping the data source and the time range.
  // job and instance: the row's own values (fields of the table) or, in the class matrix whose
  // first column is the instance, the instance and the dashboard's $job.
  local links(job, instance) = [
    g.link(
      'Tracker health of ' + instance,
      '/d/' + cfg.dashboardUids.health + '/?${datasource:queryparam}&' + job + '&var-instance=' + instance + '&${__url_time_range}',
    ),
    g.link(
      'Capacity of ' + instance,
      '/d/' + cfg.dashboardUids.capacity + '/?${datasource:queryparam}&' + job + '&var-instance=' + instance + '&${__url_time_range}',
    ),
  ];
  g.dashboard(
    cfg,
    uid=cfg.dashboardUids.fleet,
    title='Porla / Fleet',
    description='Every Porla instance in one table: exporter and Porla up, data age, torrents, error ratio and errors by class, from series a global (federating) Prometheus has. Each row links to the per-instance dashboards.',
    rows=[
      g.table(
        1,
        'Porla instances',
        'One row per exporter target (one Porla daemon): Exporter = up of its scrape (porla:instance_exporter_up), Porla = porla_up, Data age = time since the last successful poll (porla:instance_last_successful_poll_timestamp_seconds; red over ' + lib.num(a.PorlaExporterDataStale.threshold) + 's, the PorlaExporterDataStale threshold), Torrents = porla_torrents, Error ratio = share of the active torrent × tracker host pairs in status error (porla:instance_tracker_host_torrents:error_ratio; empty without active torrents). While Porla is down only Exporter, Porla and Data age have values; while the exporter cannot be scraped only Exporter and Data age do (Porla, Torrents and Error ratio are shown only while Exporter is UP, so that a value a global Prometheus still holds from before is not shown as current). Click a row for its Tracker health or Capacity dashboard.',
        [
          column('porla:instance_exporter_up{%(m)s}'),
          column(live('porla_up{%(m)s}')),
          column('time() - porla:instance_last_successful_poll_timestamp_seconds{%(m)s}'),
          column(live('porla_torrents{%(m)s}')),
          column(live('porla:instance_tracker_host_torrents:error_ratio{%(m)s}')),
        ],
        [
          g.merge,
          g.organize({
            'Value #A': 'Exporter',
            'Value #B': 'Porla',
            'Value #C': 'Data age',
            'Value #D': 'Torrents',
            'Value #E': 'Error ratio',
          }) + { options+: { excludeByName+: { job: false } } },
        ],
        overrides=[
          g.column('Exporter', steps=g.steps('red', [['green', a.PorlaExporterDown.threshold]]), mappings=g.upDown, cell='color-background'),
          g.column('Porla', steps=g.steps('red', [['green', a.PorlaDown.threshold]]), mappings=g.upDown, cell='color-background'),
          g.column('Data age', unit='s', steps=ageSteps, cell='color-text'),
          g.column('Error ratio', unit='percentunit', steps=ratioSteps, cell='color-text'),
        ],
        links=links('var-job=${__data.fields.job}', '${__data.fields.instance}'),
      ) + { height:: 12 },
      g.table(
        2,
        'Tracker errors by class per instance',
        'Torrent × tracker host pairs in status error, one row per instance and one column per normalised error class (porla:instance_tracker_host_errors:sum; the classes are those the exporter reports, 0 when none). A pair whose trackers fail with different classes counts once in each. Shown while the exporter is UP. Click a row for its Tracker health or Capacity dashboard.',
        q('sum by (instance, class) (' + live('porla:instance_tracker_host_errors:sum{%(m)s}') + ')'),
        [g.matrix('instance', 'class')],
        steps=g.steps('green', [['orange', t.count]]),
        links=links('${job:queryparam}', '${__data.fields[0]}'),
      ) + { height:: 10 },
      [
        g.timeseries(
          3,
          'Error ratio per instance',
          "Share of each instance's active torrent × tracker host pairs in status error (porla:instance_tracker_host_torrents:error_ratio). The dashed line is the PorlaTrackerHostFailing threshold (" + lib.percent(a.PorlaTrackerHostFailing.threshold) + '), drawn for comparison: that alert looks at each tracker host on its own. Shown while the exporter is UP.',
          [g.target(q(live('porla:instance_tracker_host_torrents:error_ratio{%(m)s}')), '{{instance}}')],
          unit='percentunit',
          max=1,
          steps=g.steps('green', [['red', a.PorlaTrackerHostFailing.threshold]]),
          thresholdsStyle='dashed',
        ),
        g.timeseries(
          4,
          'Data age per instance',
          'Time since each instance was last polled successfully (time() - porla:instance_last_successful_poll_timestamp_seconds). It should stay around the poll interval; the dashed line is the PorlaExporterDataStale threshold (' + lib.num(a.PorlaExporterDataStale.threshold) + 's).',
          [g.target(q('time() - porla:instance_last_successful_poll_timestamp_seconds{%(m)s}'), '{{instance}}')],
          unit='s',
          steps=g.steps('green', [['red', a.PorlaExporterDataStale.threshold]]),
          thresholdsStyle='dashed',
        ),
      ],
      [
        g.timeseries(
          5,
          'Bytes stored per instance',
          "Bytes stored by each instance's torrents, each torrent once (porla:instance_torrents_size_bytes, from porla_torrents_size_bytes). Shown while the exporter is UP.",
          [g.target(q(live('porla:instance_torrents_size_bytes{%(m)s}')), '{{instance}}')],
          unit='bytes',
        ),
        g.timeseries(
          6,
          'Upload per instance',
          "Bytes per second each instance's torrents uploaded, averaged over the last hour (porla:instance_uploaded_bytes:rate1h, the rate of the exporter's own counter porla_uploaded_bytes_total: removing a torrent never makes it negative). Shown while the exporter is UP.",
          [g.target(q(live('porla:instance_uploaded_bytes:rate1h{%(m)s}')), '{{instance}}')],
          unit='Bps',
        ),
      ],
    ],
  )
