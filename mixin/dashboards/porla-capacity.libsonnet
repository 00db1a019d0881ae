// Porla / Capacity: swarm sizes per tracker host, torrents with few seeders, growth, and what
// polling Porla costs. A function of _config (see dashboards.libsonnet); q() fills a query
// template with the job selector, the $job/$instance matchers and the rate interval.
local lib = import '../lib.libsonnet';
local common = import 'common.libsonnet';
function(cfg)
  local q(t) = lib.dashboardQuery(cfg, t);
  local t = cfg.dashboardThresholds;
  local a = cfg.alerts;
  local pct(x) = lib.num(x * 100) + '%';
  local ds = common.ds;
  common.dashboard(
    cfg,
    uid=cfg.dashboardUids.capacity,
    title='Porla / Capacity',
    description='Swarm sizes and trends per tracker host, torrents at risk, and what polling Porla costs the exporter.',
    panels=[
      {
        id: 1,
        type: 'stat',
        title: 'Torrents',
        description: 'porla_torrents: torrents seen in the last successful poll.',
        datasource: ds,
        gridPos: {
          x: 0,
          y: 0,
          w: 4,
          h: 4,
        },
        fieldConfig: {
          defaults: {
            unit: 'none',
            color: {
              mode: 'thresholds',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'blue',
                  value: null,
                },
              ],
            },
            mappings: [],
          },
          overrides: [],
        },
        options: {
          colorMode: 'background',
          graphMode: 'none',
          justifyMode: 'auto',
          orientation: 'auto',
          reduceOptions: {
            calcs: [
              'lastNotNull',
            ],
            fields: '',
            values: false,
          },
          textMode: 'auto',
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('porla_torrents{%(m)s}'),
            refId: 'A',
            instant: true,
            range: false,
            legendFormat: '{{instance}}',
          },
        ],
      },
      {
        id: 2,
        type: 'stat',
        title: 'Seeders',
        description: 'Sum over torrents of the largest seeder count any of their trackers reports (porla:torrent_seeders:max).',
        datasource: ds,
        gridPos: {
          x: 4,
          y: 0,
          w: 4,
          h: 4,
        },
        fieldConfig: {
          defaults: {
            unit: 'none',
            color: {
              mode: 'thresholds',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'blue',
                  value: null,
                },
              ],
            },
            mappings: [],
          },
          overrides: [],
        },
        options: {
          colorMode: 'background',
          graphMode: 'none',
          justifyMode: 'auto',
          orientation: 'auto',
          reduceOptions: {
            calcs: [
              'lastNotNull',
            ],
            fields: '',
            values: false,
          },
          textMode: 'auto',
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('sum by (job, instance) (porla:torrent_seeders:max{%(m)s})'),
            refId: 'A',
            instant: true,
            range: false,
            legendFormat: '{{instance}}',
          },
        ],
      },
      {
        id: 3,
        type: 'stat',
        title: 'Leechers',
        description: 'Sum over torrents of the largest leecher count any of their trackers reports (porla:torrent_leechers:max).',
        datasource: ds,
        gridPos: {
          x: 8,
          y: 0,
          w: 4,
          h: 4,
        },
        fieldConfig: {
          defaults: {
            unit: 'none',
            color: {
              mode: 'thresholds',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'blue',
                  value: null,
                },
              ],
            },
            mappings: [],
          },
          overrides: [],
        },
        options: {
          colorMode: 'background',
          graphMode: 'none',
          justifyMode: 'auto',
          orientation: 'auto',
          reduceOptions: {
            calcs: [
              'lastNotNull',
            ],
            fields: '',
            values: false,
          },
          textMode: 'auto',
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('sum by (job, instance) (porla:torrent_leechers:max{%(m)s})'),
            refId: 'A',
            instant: true,
            range: false,
            legendFormat: '{{instance}}',
          },
        ],
      },
      {
        id: 4,
        type: 'stat',
        title: 'Torrents with < ' + lib.num(t.fewSeeders) + ' seeders',
        description: 'Torrents whose best-reporting tracker knows fewer than ' + lib.num(t.fewSeeders) + ' seeders: losing one peer may make them unavailable. Torrents without scrape data are not counted.',
        datasource: ds,
        gridPos: {
          x: 12,
          y: 0,
          w: 4,
          h: 4,
        },
        fieldConfig: {
          defaults: {
            unit: 'none',
            color: {
              mode: 'thresholds',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'green',
                  value: null,
                },
                {
                  color: 'orange',
                  value: t.count,
                },
              ],
            },
            mappings: [],
          },
          overrides: [],
        },
        options: {
          colorMode: 'background',
          graphMode: 'none',
          justifyMode: 'auto',
          orientation: 'auto',
          reduceOptions: {
            calcs: [
              'lastNotNull',
            ],
            fields: '',
            values: false,
          },
          textMode: 'auto',
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('count by (job, instance) (porla:torrent_seeders:max{%(m)s} < ' + lib.num(t.fewSeeders) + ') or sum by (job, instance) (porla_up{%(m)s}) * 0'),
            refId: 'A',
            instant: true,
            range: false,
            legendFormat: '{{instance}}',
          },
        ],
      },
      {
        id: 5,
        type: 'stat',
        title: 'Last poll duration',
        description: 'porla_exporter_poll_duration_seconds: how long the last poll of Porla took. It grows with the number of torrents.',
        datasource: ds,
        gridPos: {
          x: 16,
          y: 0,
          w: 4,
          h: 4,
        },
        fieldConfig: {
          defaults: {
            unit: 's',
            color: {
              mode: 'thresholds',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'green',
                  value: null,
                },
                {
                  color: 'orange',
                  value: t.pollDurationWarning,
                },
                {
                  color: 'red',
                  value: t.pollDurationCritical,
                },
              ],
            },
            mappings: [],
          },
          overrides: [],
        },
        options: {
          colorMode: 'background',
          graphMode: 'none',
          justifyMode: 'auto',
          orientation: 'auto',
          reduceOptions: {
            calcs: [
              'lastNotNull',
            ],
            fields: '',
            values: false,
          },
          textMode: 'auto',
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('porla_exporter_poll_duration_seconds{%(m)s}'),
            refId: 'A',
            instant: true,
            range: false,
            legendFormat: '{{instance}}',
          },
        ],
      },
      {
        id: 6,
        type: 'stat',
        title: 'Poll time per torrent',
        description: 'Last poll duration divided by the number of torrents.',
        datasource: ds,
        gridPos: {
          x: 20,
          y: 0,
          w: 4,
          h: 4,
        },
        fieldConfig: {
          defaults: {
            unit: 's',
            color: {
              mode: 'thresholds',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'blue',
                  value: null,
                },
              ],
            },
            mappings: [],
          },
          overrides: [],
        },
        options: {
          colorMode: 'background',
          graphMode: 'none',
          justifyMode: 'auto',
          orientation: 'auto',
          reduceOptions: {
            calcs: [
              'lastNotNull',
            ],
            fields: '',
            values: false,
          },
          textMode: 'auto',
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('porla_exporter_poll_duration_seconds{%(m)s} / on (job, instance) (porla_torrents{%(m)s} > 0)'),
            refId: 'A',
            instant: true,
            range: false,
            legendFormat: '{{instance}}',
          },
        ],
      },
      {
        id: 7,
        type: 'timeseries',
        title: 'Seeders per tracker host',
        description: "porla_tracker_host_scrape_complete: seeders summed over each host's torrents that report scrape data.",
        datasource: ds,
        gridPos: {
          x: 0,
          y: 4,
          w: 12,
          h: 8,
        },
        fieldConfig: {
          defaults: {
            unit: 'none',
            color: {
              mode: 'palette-classic',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'green',
                  value: null,
                },
              ],
            },
            mappings: [],
            custom: {
              drawStyle: 'line',
              lineWidth: 1,
              fillOpacity: 0,
              showPoints: 'never',
              spanNulls: false,
              stacking: {
                mode: 'none',
                group: 'A',
              },
              thresholdsStyle: {
                mode: 'off',
              },
            },
            min: 0,
          },
          overrides: [],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
          },
          tooltip: {
            mode: 'multi',
            sort: 'desc',
          },
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('porla_tracker_host_scrape_complete{%(m)s}'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: '{{tracker_host}} ({{instance}})',
          },
        ],
      },
      {
        id: 8,
        type: 'timeseries',
        title: 'Leechers per tracker host',
        description: "porla_tracker_host_scrape_incomplete: leechers summed over each host's torrents that report scrape data.",
        datasource: ds,
        gridPos: {
          x: 12,
          y: 4,
          w: 12,
          h: 8,
        },
        fieldConfig: {
          defaults: {
            unit: 'none',
            color: {
              mode: 'palette-classic',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'green',
                  value: null,
                },
              ],
            },
            mappings: [],
            custom: {
              drawStyle: 'line',
              lineWidth: 1,
              fillOpacity: 0,
              showPoints: 'never',
              spanNulls: false,
              stacking: {
                mode: 'none',
                group: 'A',
              },
              thresholdsStyle: {
                mode: 'off',
              },
            },
            min: 0,
          },
          overrides: [],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
          },
          tooltip: {
            mode: 'multi',
            sort: 'desc',
          },
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('porla_tracker_host_scrape_incomplete{%(m)s}'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: '{{tracker_host}} ({{instance}})',
          },
        ],
      },
      {
        id: 9,
        type: 'timeseries',
        title: 'Completed downloads growth',
        description: 'Completed downloads per hour according to each tracker host: deriv() of porla_tracker_host_scrape_downloaded. Trackers refresh scrape counts every few minutes, so short windows are spiky.',
        datasource: ds,
        gridPos: {
          x: 0,
          y: 12,
          w: 8,
          h: 8,
        },
        fieldConfig: {
          defaults: {
            unit: 'none',
            color: {
              mode: 'palette-classic',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'green',
                  value: null,
                },
              ],
            },
            mappings: [],
            custom: {
              drawStyle: 'line',
              lineWidth: 1,
              fillOpacity: 0,
              showPoints: 'never',
              spanNulls: false,
              stacking: {
                mode: 'none',
                group: 'A',
              },
              thresholdsStyle: {
                mode: 'off',
              },
            },
          },
          overrides: [],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
          },
          tooltip: {
            mode: 'multi',
            sort: 'desc',
          },
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('deriv(porla_tracker_host_scrape_downloaded{%(m)s}[%(rate)s]) * 3600'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: '{{tracker_host}} ({{instance}})',
          },
        ],
      },
      {
        id: 10,
        type: 'timeseries',
        title: 'Torrent count',
        description: 'porla_torrents over time.',
        datasource: ds,
        gridPos: {
          x: 8,
          y: 12,
          w: 8,
          h: 8,
        },
        fieldConfig: {
          defaults: {
            unit: 'none',
            color: {
              mode: 'palette-classic',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'green',
                  value: null,
                },
              ],
            },
            mappings: [],
            custom: {
              drawStyle: 'line',
              lineWidth: 1,
              fillOpacity: 0,
              showPoints: 'never',
              spanNulls: false,
              stacking: {
                mode: 'none',
                group: 'A',
              },
              thresholdsStyle: {
                mode: 'off',
              },
            },
            min: 0,
          },
          overrides: [],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
          },
          tooltip: {
            mode: 'multi',
            sort: 'desc',
          },
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('porla_torrents{%(m)s}'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: '{{instance}}',
          },
        ],
      },
      {
        id: 11,
        type: 'timeseries',
        title: 'Torrent count growth',
        description: 'Torrents added (or removed, below zero) per hour: deriv() of porla_torrents.',
        datasource: ds,
        gridPos: {
          x: 16,
          y: 12,
          w: 8,
          h: 8,
        },
        fieldConfig: {
          defaults: {
            unit: 'none',
            color: {
              mode: 'palette-classic',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'green',
                  value: null,
                },
              ],
            },
            mappings: [],
            custom: {
              drawStyle: 'line',
              lineWidth: 1,
              fillOpacity: 0,
              showPoints: 'never',
              spanNulls: false,
              stacking: {
                mode: 'none',
                group: 'A',
              },
              thresholdsStyle: {
                mode: 'off',
              },
            },
          },
          overrides: [],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
          },
          tooltip: {
            mode: 'multi',
            sort: 'desc',
          },
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('deriv(porla_torrents{%(m)s}[%(rate)s]) * 3600'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: '{{instance}}',
          },
        ],
      },
      {
        id: 12,
        type: 'timeseries',
        title: 'Torrents with scrape data per host',
        description: "Share of each host's torrents whose trackers report scrape counts (porla_tracker_host_scrape_reporting_torrents / porla:tracker_host_torrents:sum). Seeder and leecher sums only cover these.",
        datasource: ds,
        gridPos: {
          x: 0,
          y: 20,
          w: 12,
          h: 8,
        },
        fieldConfig: {
          defaults: {
            unit: 'percentunit',
            color: {
              mode: 'palette-classic',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'green',
                  value: null,
                },
              ],
            },
            mappings: [],
            custom: {
              drawStyle: 'line',
              lineWidth: 1,
              fillOpacity: 0,
              showPoints: 'never',
              spanNulls: false,
              stacking: {
                mode: 'none',
                group: 'A',
              },
              thresholdsStyle: {
                mode: 'off',
              },
            },
            min: 0,
            max: 1,
          },
          overrides: [],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
          },
          tooltip: {
            mode: 'multi',
            sort: 'desc',
          },
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('porla_tracker_host_scrape_reporting_torrents{%(m)s} / porla:tracker_host_torrents:sum{%(m)s}'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: '{{tracker_host}} ({{instance}})',
          },
        ],
      },
      {
        id: 13,
        type: 'table',
        title: 'Torrents with few seeders',
        description: 'Torrents whose best-reporting tracker knows fewer than ' + lib.num(t.fewSeeders) + ' seeders, with their name.',
        datasource: ds,
        gridPos: {
          x: 12,
          y: 20,
          w: 12,
          h: 8,
        },
        fieldConfig: {
          defaults: {
            unit: 'none',
            color: {
              mode: 'thresholds',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'green',
                  value: null,
                },
              ],
            },
            mappings: [],
            custom: {
              align: 'auto',
              filterable: true,
              cellOptions: {
                type: 'auto',
              },
            },
          },
          overrides: [],
        },
        options: {
          showHeader: true,
          cellHeight: 'sm',
          footer: {
            show: false,
            reducer: [
              'sum',
            ],
            fields: '',
          },
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('sort((porla:torrent_seeders:max{%(m)s} < ' + lib.num(t.fewSeeders) + ') * on (job, instance, info_hash) group_left (name) porla_torrent_info{%(m)s})'),
            refId: 'A',
            format: 'table',
            instant: true,
            range: false,
          },
        ],
        transformations: [
          {
            id: 'organize',
            options: {
              excludeByName: {
                Time: true,
                __name__: true,
                job: true,
              },
              renameByName: {
                Value: 'seeders',
                name: 'torrent',
              },
              indexByName: {},
            },
          },
        ],
      },
      {
        id: 14,
        type: 'timeseries',
        title: 'Poll duration and torrents',
        description: 'Exporter cost against size: duration of each poll (left axis) and the number of torrents (right axis).',
        datasource: ds,
        gridPos: {
          x: 0,
          y: 28,
          w: 12,
          h: 8,
        },
        fieldConfig: {
          defaults: {
            unit: 's',
            color: {
              mode: 'palette-classic',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'green',
                  value: null,
                },
              ],
            },
            mappings: [],
            custom: {
              drawStyle: 'line',
              lineWidth: 1,
              fillOpacity: 0,
              showPoints: 'never',
              spanNulls: false,
              stacking: {
                mode: 'none',
                group: 'A',
              },
              thresholdsStyle: {
                mode: 'off',
              },
            },
            min: 0,
          },
          overrides: [
            {
              matcher: {
                id: 'byFrameRefID',
                options: 'B',
              },
              properties: [
                {
                  id: 'unit',
                  value: 'none',
                },
                {
                  id: 'custom.axisPlacement',
                  value: 'right',
                },
              ],
            },
          ],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
          },
          tooltip: {
            mode: 'multi',
            sort: 'desc',
          },
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('porla_exporter_poll_duration_seconds{%(m)s}'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: 'poll duration ({{instance}})',
          },
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('porla_torrents{%(m)s}'),
            refId: 'B',
            range: true,
            instant: false,
            legendFormat: 'torrents ({{instance}})',
          },
        ],
      },
      {
        id: 15,
        type: 'timeseries',
        title: 'RPC requests to Porla',
        description: 'JSON-RPC calls made by the exporter per second, by method and outcome (porla_exporter_rpc_requests_total).',
        datasource: ds,
        gridPos: {
          x: 12,
          y: 28,
          w: 12,
          h: 8,
        },
        fieldConfig: {
          defaults: {
            unit: 'reqps',
            color: {
              mode: 'palette-classic',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'green',
                  value: null,
                },
              ],
            },
            mappings: [],
            custom: {
              drawStyle: 'line',
              lineWidth: 1,
              fillOpacity: 0,
              showPoints: 'never',
              spanNulls: false,
              stacking: {
                mode: 'none',
                group: 'A',
              },
              thresholdsStyle: {
                mode: 'off',
              },
            },
            min: 0,
          },
          overrides: [],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
          },
          tooltip: {
            mode: 'multi',
            sort: 'desc',
          },
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('sum by (job, instance, method, outcome) (rate(porla_exporter_rpc_requests_total{%(m)s}[%(rate)s]))'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: '{{method}} {{outcome}} ({{instance}})',
          },
        ],
      },
      {
        id: 16,
        type: 'timeseries',
        title: 'RPC calls per poll',
        description: 'JSON-RPC calls per poll: about one torrents.list plus one torrents.trackers.list per torrent polled.',
        datasource: ds,
        gridPos: {
          x: 0,
          y: 36,
          w: 12,
          h: 8,
        },
        fieldConfig: {
          defaults: {
            unit: 'none',
            color: {
              mode: 'palette-classic',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'green',
                  value: null,
                },
              ],
            },
            mappings: [],
            custom: {
              drawStyle: 'line',
              lineWidth: 1,
              fillOpacity: 0,
              showPoints: 'never',
              spanNulls: false,
              stacking: {
                mode: 'none',
                group: 'A',
              },
              thresholdsStyle: {
                mode: 'off',
              },
            },
            min: 0,
          },
          overrides: [],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
          },
          tooltip: {
            mode: 'multi',
            sort: 'desc',
          },
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('sum by (job, instance) (rate(porla_exporter_rpc_requests_total{%(m)s}[%(rate)s])) / sum by (job, instance) (rate(porla_exporter_polls_total{%(m)s}[%(rate)s]))'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: '{{instance}}',
          },
        ],
      },
      {
        id: 17,
        type: 'timeseries',
        title: 'Polls and vanished torrents per minute',
        description: 'Polls by result (porla_exporter_polls_total) and torrents that disappeared between torrents.list and their torrents.trackers.list (porla_exporter_torrents_vanished_total), per minute.',
        datasource: ds,
        gridPos: {
          x: 12,
          y: 36,
          w: 12,
          h: 8,
        },
        fieldConfig: {
          defaults: {
            unit: 'cpm',
            color: {
              mode: 'palette-classic',
            },
            thresholds: {
              mode: 'absolute',
              steps: [
                {
                  color: 'green',
                  value: null,
                },
              ],
            },
            mappings: [],
            custom: {
              drawStyle: 'line',
              lineWidth: 1,
              fillOpacity: 0,
              showPoints: 'never',
              spanNulls: false,
              stacking: {
                mode: 'none',
                group: 'A',
              },
              thresholdsStyle: {
                mode: 'off',
              },
            },
            min: 0,
          },
          overrides: [],
        },
        options: {
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
          },
          tooltip: {
            mode: 'multi',
            sort: 'desc',
          },
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('sum by (job, instance, result) (rate(porla_exporter_polls_total{%(m)s}[%(rate)s])) * 60'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: 'polls {{result}} ({{instance}})',
          },
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('rate(porla_exporter_torrents_vanished_total{%(m)s}[%(rate)s]) * 60'),
            refId: 'B',
            range: true,
            instant: false,
            legendFormat: 'vanished torrents ({{instance}})',
          },
        ],
      },
    ],
  )
