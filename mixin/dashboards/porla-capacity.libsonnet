// Porla / Capacity: swarm sizes per tracker host, torrents with few seeders, growth, and what
// polling Porla costs. A function of _config (see dashboards.libsonnet); q() fills a query
// template with the job selector, the $job/$instance matchers and the rate interval. Panels
// come from the constructors of grafana.libsonnet (described at its top).
local lib = import '../lib.libsonnet';
local g = import 'grafana.libsonnet';
function(cfg)
  local q(t) = lib.dashboardQuery(cfg, t);
  local t = cfg.dashboardThresholds;
  local few = lib.num(t.fewSeeders);
  g.dashboard(
    cfg,
    uid=cfg.dashboardUids.capacity,
    title='Porla / Capacity',
    description='Swarm sizes and trends per tracker host, torrents at risk, and what polling Porla costs the exporter.',
    rows=[
      [
        g.stat(1, 'Torrents', 'porla_torrents: torrents seen in the last successful poll.', q('porla_torrents{%(m)s}')),
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
        g.stat(
          4,
          'Torrents with < ' + few + ' seeders',
          'Torrents whose best-reporting tracker knows fewer than ' + few + ' seeders: losing one peer may make them unavailable. Torrents without scrape data are not counted. In attention mode (--collector.tracker.per-torrent=attention) the exporter keeps the rows of every torrent with fewer seeders than --collector.tracker.attention-few-seeders (default 2): complete while that flag is at least ' + few + '.',
          q(lib.orZero('count by (job, instance) (porla:torrent_seeders:max{%(m)s} < ' + few + ')')),
          steps=g.steps('green', [['orange', t.count]]),
        ),
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
      ],
      [
        g.timeseries(
          7,
          'Seeders per tracker host',
          "porla_tracker_host_scrape_complete: seeders summed over each host's torrents that report scrape data.",
          [g.target(q('porla_tracker_host_scrape_complete{%(m)s}'), '{{tracker_host}} ({{instance}})')],
        ),
        g.timeseries(
          8,
          'Leechers per tracker host',
          "porla_tracker_host_scrape_incomplete: leechers summed over each host's torrents that report scrape data.",
          [g.target(q('porla_tracker_host_scrape_incomplete{%(m)s}'), '{{tracker_host}} ({{instance}})')],
        ),
      ],
      [
        g.timeseries(
          9,
          'Completed downloads growth',
          'Completed downloads per hour according to each tracker host: deriv() of porla_tracker_host_scrape_downloaded. Trackers refresh scrape counts every few minutes, so short windows are spiky.',
          [g.target(q('deriv(porla_tracker_host_scrape_downloaded{%(m)s}[%(rate)s]) * 3600'), '{{tracker_host}} ({{instance}})')],
          min=null,
        ),
        g.timeseries(10, 'Torrent count', 'porla_torrents over time.', [g.target(q('porla_torrents{%(m)s}'), '{{instance}}')]),
        g.timeseries(
          11,
          'Torrent count growth',
          'Torrents added (or removed, below zero) per hour: deriv() of porla_torrents.',
          [g.target(q('deriv(porla_torrents{%(m)s}[%(rate)s]) * 3600'), '{{instance}}')],
          min=null,
        ),
      ],
      [
        g.timeseries(
          12,
          'Torrents with scrape data per host',
          "Share of each host's torrents whose trackers report scrape counts (porla_tracker_host_scrape_reporting_torrents / porla:tracker_host_torrents:sum). Seeder and leecher sums only cover these.",
          [g.target(q('porla_tracker_host_scrape_reporting_torrents{%(m)s} / porla:tracker_host_torrents:sum{%(m)s}'), '{{tracker_host}} ({{instance}})')],
          unit='percentunit',
          max=1,
        ),
        g.table(
          13,
          'Torrents with few seeders',
          'Torrents whose best-reporting tracker knows fewer than ' + few + ' seeders, with their name. In attention mode (--collector.tracker.per-torrent=attention) the exporter keeps the rows of every torrent with fewer seeders than --collector.tracker.attention-few-seeders (default 2): complete while that flag is at least ' + few + '.',
          q('sort((porla:torrent_seeders:max{%(m)s} < ' + few + ') * on (job, instance, info_hash) group_left (name) porla_torrent_info{%(m)s})'),
          [g.organize({ Value: 'seeders', name: 'torrent' })],
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
