// Porla / Capacity: the questions a seedbox operator plans with, top to bottom: room left and
// time to each of the exporter's limits; disk and upload per tracker host; idle weight; demand;
// what monitoring costs. A function of _config (see dashboards.libsonnet); q() fills a query
// template with the job selector, the $job/$instance matchers and the rate interval. Panels
// come from the constructors of grafana.libsonnet (described at its top). The forecasts are
// recording rules (rules.libsonnet: predict_linear() over _config.capacity.forecastWindow,
// _config.capacity.forecastHorizon ahead), as the capacity alerts compute them.
local lib = import '../lib.libsonnet';
local g = import 'grafana.libsonnet';
function(cfg)
  local q(t) = lib.dashboardQuery(cfg, t);
  local t = cfg.dashboardThresholds;
  local c = cfg.capacity;
  local few = lib.num(t.fewSeeders);
  local top = std.toString(c.idleTopTorrents);
  local horizon = c.forecastHorizon;
  local ratioSteps = g.steps('green', [['orange', c.forecastMinUsed], ['red', 1]]);
  // Time left shown red under a day, orange under the forecast horizon.
  local timeLeftSteps = g.steps('red', [['orange', 86400], ['green', lib.seconds(horizon)]]);
  // A per-host column of the host table: g.merge joins rows where the label columns agree, so
  // no metric name (sum by drops it).
  local hostColumn(expr) = g.target(q('sum by (job, instance, tracker_host) (' + expr + ')'));
  // The longest-idle torrents and a value of theirs, with name and tracker host(s): a torrent
  // on several hosts has a row per host; a torrent without tracker series (left out by the cap,
  // or not in trouble with --collector.tracker.per-torrent=attention) one row without host.
  local longestIdle = 'topk(' + top + ', porla_torrent_idle_seconds{%(m)s})';
  local idleRow(value) =
    local named = '(' + value + ') * on (job, instance, info_hash) group_left (name) porla_torrent_info{%(m)s}';
    'group by (job, instance, info_hash, tracker_host) (porla_tracker_status{%(m)s}) * on (job, instance, info_hash) group_left (name) ' + named
    + ' or on (job, instance, info_hash) ' + named;
  g.dashboard(
    cfg,
    uid=cfg.dashboardUids.capacity,
    title='Porla / Capacity',
    description="Capacity planning: room left and time to the exporter's limits, disk and upload per tracker host, idle weight, demand, and what monitoring costs Prometheus.",
    rows=[
      // ---- Room left and time to each limit ----
      [
        g.stat(1, 'Torrents', 'porla_torrents: torrents seen in the last successful poll.', q('porla_torrents{%(m)s}')),
        g.stat(
          18,
          'Series cap used',
          'Per-torrent series the cap counts (porla_exporter_uncapped_series: what would be served without the cap) as a share of --collector.max-series (porla_exporter_max_series). Over 100% the cap binds. No value: no cap (0).',
          q('porla_exporter_uncapped_series{%(m)s} / on (job, instance) (porla_exporter_max_series{%(m)s} > 0)'),
          unit='percentunit',
          steps=ratioSteps,
        ),
        g.stat(
          19,
          'Time until the cap binds',
          'At the growth of the last ' + c.forecastWindow + ', when the per-torrent series reach --collector.max-series (porla:instance_series_cap:seconds_left, deriv() over ' + c.forecastWindow + '). A year means: not growing; 0: the cap binds now.',
          q('porla:instance_series_cap:seconds_left{%(m)s}'),
          unit='s',
          steps=timeLeftSteps,
        ),
        g.stat(
          20,
          'Torrents left out by the cap',
          'porla_exporter_dropped_torrents: torrents whose per-torrent series --collector.max-series leaves out. Their per-torrent alerts are blind (PorlaExporterSeriesCapReached). The host aggregates stay complete.',
          q('porla_exporter_dropped_torrents{%(m)s}'),
          steps=g.steps('green', [['red', 1]]),
        ),
        g.stat(
          21,
          'Poll duration / interval',
          'The last poll duration (porla_exporter_poll_duration_seconds) as a share of --poll.interval (porla_exporter_poll_interval_seconds). Over 100% polls no longer fit and tracker data gets older than the interval (PorlaExporterPollsOverrunInterval).',
          q('porla_exporter_poll_duration_seconds{%(m)s} / on (job, instance) porla_exporter_poll_interval_seconds{%(m)s}'),
          unit='percentunit',
          steps=ratioSteps,
        ),
        g.stat(
          22,
          'Time until polls overrun',
          'At the growth of the last ' + c.forecastWindow + ', when a poll takes the whole interval (porla:instance_poll_interval:seconds_left). A year means: not growing; 0: polls overrun now.',
          q('porla:instance_poll_interval:seconds_left{%(m)s}'),
          unit='s',
          steps=timeLeftSteps,
        ),
      ],
      [
        g.timeseries(
          23,
          'Per-torrent series against the cap',
          'The per-torrent series the cap counts (porla_exporter_uncapped_series), the cap (porla_exporter_max_series) and the forecast ' + horizon + ' ahead (porla:instance_uncapped_series:predict_linear, predict_linear() over ' + c.forecastWindow + '). PorlaExporterSeriesCapFillingUp fires when the forecast crosses the cap.',
          [
            g.target(q('porla_exporter_uncapped_series{%(m)s}'), 'series ({{instance}})'),
            g.target(q('porla_exporter_max_series{%(m)s} > 0'), 'cap ({{instance}})'),
            g.target(q('porla:instance_uncapped_series:predict_linear{%(m)s}'), 'in ' + horizon + ' ({{instance}})'),
          ],
        ),
        g.timeseries(
          24,
          'Poll duration against the interval',
          'The duration of each poll (porla_exporter_poll_duration_seconds), the poll interval (porla_exporter_poll_interval_seconds) and the duration forecast ' + horizon + ' ahead (porla:instance_poll_duration_seconds:predict_linear). PorlaExporterPollsFillingInterval fires when the forecast crosses the interval.',
          [
            g.target(q('porla_exporter_poll_duration_seconds{%(m)s}'), 'poll ({{instance}})'),
            g.target(q('porla_exporter_poll_interval_seconds{%(m)s}'), 'interval ({{instance}})'),
            g.target(q('porla:instance_poll_duration_seconds:predict_linear{%(m)s}'), 'in ' + horizon + ' ({{instance}})'),
          ],
          unit='s',
        ),
      ],
      // ---- Disk and upload per tracker host ----
      [
        g.timeseries(
          25,
          'Bytes stored per tracker host',
          "porla_tracker_host_size_bytes: the sum of the size of each host's torrents. A torrent with trackers on several hosts counts in each.",
          [g.target(q('porla_tracker_host_size_bytes{%(m)s}'), '{{tracker_host}} ({{instance}})')],
          unit='bytes',
        ),
        g.timeseries(
          26,
          'Upload per tracker host',
          "Bytes per second each host's torrents upload: rate() of porla_tracker_host_uploaded_bytes_total, the exporter's own counter (a removed torrent takes nothing away, so the rate never goes negative).",
          [g.target(q('rate(porla_tracker_host_uploaded_bytes_total{%(m)s}[%(rate)s])'), '{{tracker_host}} ({{instance}})')],
          unit='Bps',
        ),
        g.timeseries(
          27,
          'Upload per GiB stored',
          "What each tracker host's content earns: bytes uploaded per day per GiB it stores (rate of porla_tracker_host_uploaded_bytes_total × 86400 / porla_tracker_host_size_bytes in GiB).",
          [g.target(q('rate(porla_tracker_host_uploaded_bytes_total{%(m)s}[%(rate)s]) * 86400 / on (job, instance, tracker_host) (porla_tracker_host_size_bytes{%(m)s} / 1073741824 > 0)'), '{{tracker_host}} ({{instance}})')],
          unit='bytes',
        ),
      ],
      // ---- Idle weight ----
      [
        g.table(
          29,
          'Disk and idle weight per tracker host',
          'Per tracker host: bytes stored, bytes of the torrents with no upload for 7 and 30 days or more (a torrent that never uploaded counts once it has been active that long) and of those that never uploaded (porla_tracker_host_idle_bytes): what removing them would free there. Total upload is porla_tracker_host_all_time_upload_bytes (falls when torrents go).',
          [
            hostColumn('porla_tracker_host_size_bytes{%(m)s}'),
            hostColumn('porla_tracker_host_idle_bytes{%(m)s, idle="7d"}'),
            hostColumn('porla_tracker_host_idle_bytes{%(m)s, idle="30d"}'),
            hostColumn('porla_tracker_host_idle_bytes{%(m)s, idle="never"}'),
            hostColumn('porla_tracker_host_all_time_upload_bytes{%(m)s}'),
          ],
          [
            g.merge,
            g.organize({
              tracker_host: 'Tracker host',
              'Value #A': 'Stored',
              'Value #B': 'Idle ≥ 7 d',
              'Value #C': 'Idle ≥ 30 d',
              'Value #D': 'Never uploaded',
              'Value #E': 'Uploaded in all',
            }),
          ],
          overrides=[g.column(col, unit='bytes') for col in ['Stored', 'Idle ≥ 7 d', 'Idle ≥ 30 d', 'Never uploaded', 'Uploaded in all']],
          sortDesc='Idle ≥ 30 d',
        ),
        g.timeseries(
          28,
          'Bytes idle for 30 days or more per tracker host',
          'porla_tracker_host_idle_bytes{idle="30d"}: bytes stored by torrents with no upload for 30 days or more, per host, over time.',
          [g.target(q('porla_tracker_host_idle_bytes{%(m)s, idle="30d"}'), '{{tracker_host}} ({{instance}})')],
          unit='bytes',
        ),
      ],
      g.table(
        30,
        'Longest-idle torrents',
        'The ' + top + ' torrents idle longest (porla_torrent_idle_seconds: since their last upload, or for a torrent that never uploaded, its active time), with tracker host, size (porla_torrent_size_bytes) and name. The candidates qbit_manage or tqm would remove by idle time. In attention mode (--collector.tracker.per-torrent=attention) only the torrents in the attention set have these per-torrent series, so the table lists those; the per-host idle bytes above count every torrent.',
        [
          g.target(q(idleRow(longestIdle))),
          g.target(q(idleRow('porla_torrent_size_bytes{%(m)s} and on (job, instance, info_hash) ' + longestIdle))),
        ],
        [
          g.merge,
          g.organize({ tracker_host: 'Tracker host', name: 'Torrent', 'Value #A': 'Idle', 'Value #B': 'Size' }),
        ],
        overrides=[g.column('Idle', unit='s'), g.column('Size', unit='bytes')],
        sortDesc='Idle',
      ) + { height:: 10 },
      // ---- Demand ----
      [
        g.timeseries(
          8,
          'Leechers per tracker host',
          "porla_tracker_host_scrape_incomplete: leechers summed over each host's torrents that report scrape data.",
          [g.target(q('porla_tracker_host_scrape_incomplete{%(m)s}'), '{{tracker_host}} ({{instance}})')],
        ),
        g.timeseries(
          9,
          'Completed downloads per day',
          "Completed downloads per day according to each tracker host: deriv() of porla_tracker_host_scrape_downloaded × 86400. Trackers refresh scrape counts every few minutes, so short windows are spiky; a removed torrent's downloads leave the sum (a dip below zero).",
          [g.target(q('deriv(porla_tracker_host_scrape_downloaded{%(m)s}[%(rate)s]) * 86400'), '{{tracker_host}} ({{instance}})')],
          min=null,
        ),
        g.timeseries(
          7,
          'Seeders per tracker host',
          "porla_tracker_host_scrape_complete: seeders summed over each host's torrents that report scrape data.",
          [g.target(q('porla_tracker_host_scrape_complete{%(m)s}'), '{{tracker_host}} ({{instance}})')],
        ),
      ],
      [
        g.stat(
          4,
          'Torrents with < ' + few + ' seeders',
          'Torrents whose best-reporting tracker knows fewer than ' + few + ' seeders: losing one peer may make them unavailable. Torrents without scrape data are not counted. In attention mode (--collector.tracker.per-torrent=attention) the exporter keeps the rows of every torrent with fewer seeders than --collector.tracker.attention-few-seeders (default 2): complete while that flag is at least ' + few + '.',
          q(lib.orZero('count by (job, instance) (porla:torrent_seeders:max{%(m)s} < ' + few + ')')),
          steps=g.steps('green', [['orange', t.count]]),
        ) + { width:: 6 },
        g.table(
          13,
          'Torrents with few seeders',
          'Torrents whose best-reporting tracker knows fewer than ' + few + ' seeders, with their name. In attention mode (--collector.tracker.per-torrent=attention) the exporter keeps the rows of every torrent with fewer seeders than --collector.tracker.attention-few-seeders (default 2): complete while that flag is at least ' + few + '.',
          q('sort((porla:torrent_seeders:max{%(m)s} < ' + few + ') * on (job, instance, info_hash) group_left (name) porla_torrent_info{%(m)s})'),
          [g.organize({ Value: 'seeders', name: 'torrent' })],
        ) + { width:: 18 },
      ],
      [
        g.timeseries(10, 'Torrent count', 'porla_torrents over time.', [g.target(q('porla_torrents{%(m)s}'), '{{instance}}')]),
        g.timeseries(
          11,
          'Torrent count growth',
          'Torrents added (or removed, below zero) per hour: deriv() of porla_torrents.',
          [g.target(q('deriv(porla_torrents{%(m)s}[%(rate)s]) * 3600'), '{{instance}}')],
          min=null,
        ),
        g.timeseries(
          12,
          'Torrents with scrape data per host',
          "Share of each host's torrents whose trackers report scrape counts (porla_tracker_host_scrape_reporting_torrents / porla:tracker_host_torrents:sum). Seeder and leecher sums only cover these.",
          [g.target(q('porla_tracker_host_scrape_reporting_torrents{%(m)s} / porla:tracker_host_torrents:sum{%(m)s}'), '{{tracker_host}} ({{instance}})')],
          unit='percentunit',
          max=1,
        ),
      ],
      // ---- What monitoring costs ----
      [
        g.timeseries(
          31,
          'Samples per scrape',
          "Prometheus' own scrape_samples_scraped for the exporter's job: the series each scrape brings. Each is a head series in Prometheus; docs/metrics.md says what each collector flag adds.",
          [g.target(q('scrape_samples_scraped{%(m)s}'), '{{instance}}')],
        ),
        g.timeseries(
          32,
          'Scrape duration',
          "Prometheus' own scrape_duration_seconds for the exporter's job: how long each scrape of /metrics takes. Keep it well under the scrape timeout.",
          [g.target(q('scrape_duration_seconds{%(m)s}'), '{{instance}}')],
          unit='s',
        ),
        g.timeseries(
          33,
          "Prometheus memory for the exporter's series",
          "An estimate of the resident memory Prometheus needs for this job's series: scrape_samples_post_metric_relabeling × " + std.toString(c.prometheusBytesPerSeries) + ' bytes per series (_config.capacity.prometheusBytesPerSeries, measured with Debian\'s Prometheus 2.42: docs/benchmarks.md, "What monitoring costs").',
          [g.target(q('scrape_samples_post_metric_relabeling{%(m)s} * ' + std.toString(c.prometheusBytesPerSeries)), '{{instance}}')],
          unit='bytes',
        ),
      ],
      [
        g.stat(
          5,
          'Last poll duration',
          'porla_exporter_poll_duration_seconds: how long the last poll of Porla took. It grows with the number of torrents.',
          q('porla_exporter_poll_duration_seconds{%(m)s}'),
          unit='s',
          steps=g.steps('green', [['orange', t.pollDurationWarning], ['red', t.pollDurationCritical]]),
        ),
        g.stat(
          6,
          'Poll time per torrent',
          'Last poll duration divided by the number of torrents.',
          q('porla_exporter_poll_duration_seconds{%(m)s} / on (job, instance) (porla_torrents{%(m)s} > 0)'),
          unit='s',
        ),
        g.stat(
          2,
          'Seeders',
          'Sum over torrents of the largest seeder count any of their trackers reports (porla:torrent_seeders:max). In attention mode (--collector.tracker.per-torrent=attention) only the torrents in the attention set count: Seeders per tracker host has the whole swarm.',
          q('sum by (job, instance) (porla:torrent_seeders:max{%(m)s})'),
        ),
        g.stat(
          3,
          'Leechers',
          'Sum over torrents of the largest leecher count any of their trackers reports (porla:torrent_leechers:max). In attention mode (--collector.tracker.per-torrent=attention) only the torrents in the attention set count: Leechers per tracker host has the whole swarm.',
          q('sum by (job, instance) (porla:torrent_leechers:max{%(m)s})'),
        ),
      ],
      [
        g.timeseries(
          14,
          'Poll duration and torrents',
          'Exporter cost against size: duration of each poll (left axis) and the number of torrents (right axis).',
          [
            g.target(q('porla_exporter_poll_duration_seconds{%(m)s}'), 'poll duration ({{instance}})'),
            g.target(q('porla_torrents{%(m)s}'), 'torrents ({{instance}})'),
          ],
          unit='s',
          // The torrent count (query B) is no duration: a plain number, on its own axis.
          overrides=[{
            matcher: { id: 'byFrameRefID', options: 'B' },
            properties: [{ id: 'unit', value: 'none' }, { id: 'custom.axisPlacement', value: 'right' }],
          }],
        ),
        g.timeseries(
          15,
          'RPC requests to Porla',
          'JSON-RPC calls made by the exporter per second, by method and outcome (porla_exporter_rpc_requests_total).',
          [g.target(q('sum by (job, instance, method, outcome) (rate(porla_exporter_rpc_requests_total{%(m)s}[%(rate)s]))'), '{{method}} {{outcome}} ({{instance}})')],
          unit='reqps',
        ),
      ],
      [
        g.timeseries(
          16,
          'RPC calls per poll',
          'JSON-RPC calls per poll: about one torrents.list plus one torrents.trackers.list per torrent polled.',
          [g.target(q('sum by (job, instance) (rate(porla_exporter_rpc_requests_total{%(m)s}[%(rate)s])) / sum by (job, instance) (rate(porla_exporter_polls_total{%(m)s}[%(rate)s]))'), '{{instance}}')],
        ),
        g.timeseries(
          17,
          'Polls and vanished torrents per minute',
          'Polls by result (porla_exporter_polls_total) and torrents that disappeared between torrents.list and their torrents.trackers.list (porla_exporter_torrents_vanished_total), per minute.',
          [
            g.target(q('sum by (job, instance, result) (rate(porla_exporter_polls_total{%(m)s}[%(rate)s])) * 60'), 'polls {{result}} ({{instance}})'),
            g.target(q('rate(porla_exporter_torrents_vanished_total{%(m)s}[%(rate)s]) * 60'), 'vanished torrents ({{instance}})'),
          ],
          unit='cpm',
        ),
      ],
    ],
  )
