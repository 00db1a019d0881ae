// Porla / Tracker host drill-down: one tracker host ($tracker_host) in detail. A function of
// _config (see dashboards.libsonnet); q() fills a query template with the job selector, the
// $job/$instance matchers and the rate interval.
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
    uid=cfg.dashboardUids.drilldown,
    title='Porla / Tracker host drill-down',
    description='One tracker host in detail: its torrents by status, failures and error classes, swarm sizes, announce schedule and failing torrents.',
    panels=[
      {
        id: 1,
        type: 'stat',
        title: 'Torrents on host',
        description: 'Torrents with at least one tracker on $tracker_host (porla_tracker_host_torrents summed over statuses).',
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
            expr: q('sum by (job, instance) (porla_tracker_host_torrents{%(m)s,tracker_host="$tracker_host"})'),
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
        title: 'Error ratio',
        description: "Share of the host's active (not inactive) torrents in status error (porla:tracker_host_torrents:error_ratio). PorlaTrackerHostFailing fires above " + pct(a.PorlaTrackerHostFailing.threshold) + '.',
        datasource: ds,
        gridPos: {
          x: 4,
          y: 0,
          w: 4,
          h: 4,
        },
        fieldConfig: {
          defaults: {
            unit: 'percentunit',
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
                  value: t.errorRatioWarning,
                },
                {
                  color: 'red',
                  value: a.PorlaTrackerHostFailing.threshold,
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
            expr: q('porla:tracker_host_torrents:error_ratio{%(m)s,tracker_host="$tracker_host"}'),
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
        title: 'Seeders',
        description: "Sum of seeders over the host's torrents that report scrape data (porla_tracker_host_scrape_complete).",
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
            expr: q('porla_tracker_host_scrape_complete{%(m)s,tracker_host="$tracker_host"}'),
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
        title: 'Leechers',
        description: "Sum of leechers over the host's torrents that report scrape data (porla_tracker_host_scrape_incomplete).",
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
            expr: q('porla_tracker_host_scrape_incomplete{%(m)s,tracker_host="$tracker_host"}'),
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
        title: 'Overdue announces',
        description: 'Torrents whose next announce to this host is past due beyond the grace period (porla_tracker_host_announces_overdue).',
        datasource: ds,
        gridPos: {
          x: 16,
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
            expr: q('porla_tracker_host_announces_overdue{%(m)s,tracker_host="$tracker_host"}'),
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
        title: 'Torrents with scrape data',
        description: 'Torrents whose trackers on this host report scrape counts (porla_tracker_host_scrape_reporting_torrents).',
        datasource: ds,
        gridPos: {
          x: 20,
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
            expr: q('porla_tracker_host_scrape_reporting_torrents{%(m)s,tracker_host="$tracker_host"}'),
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
        title: 'Torrents by status',
        description: "The host's torrents by tracker status over time (porla_tracker_host_torrents).",
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
              fillOpacity: 20,
              showPoints: 'never',
              spanNulls: false,
              stacking: {
                mode: 'normal',
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
            expr: q('porla_tracker_host_torrents{%(m)s,tracker_host="$tracker_host"}'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: '{{status}} ({{instance}})',
          },
        ],
      },
      {
        id: 8,
        type: 'timeseries',
        title: 'Errors by class',
        description: "The host's torrents in status error by normalised error class (porla_tracker_host_errors).",
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
              fillOpacity: 20,
              showPoints: 'never',
              spanNulls: false,
              stacking: {
                mode: 'normal',
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
            expr: q('porla_tracker_host_errors{%(m)s,tracker_host="$tracker_host"} > 0'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: '{{class}} ({{instance}})',
          },
        ],
      },
      {
        id: 9,
        type: 'timeseries',
        title: 'Consecutive failures',
        description: "Largest and average consecutive failed announces over the host's trackers (porla_tracker_fails), and how many of them are in status error.",
        datasource: ds,
        gridPos: {
          x: 0,
          y: 12,
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
            expr: q('max by (job, instance) (porla_tracker_fails{%(m)s,tracker_host="$tracker_host"})'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: 'max fails ({{instance}})',
          },
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('avg by (job, instance) (porla_tracker_fails{%(m)s,tracker_host="$tracker_host"})'),
            refId: 'B',
            range: true,
            instant: false,
            legendFormat: 'avg fails ({{instance}})',
          },
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('count by (job, instance) (porla_tracker_status{%(m)s,tracker_host="$tracker_host",status="error"})'),
            refId: 'C',
            range: true,
            instant: false,
            legendFormat: 'trackers in error ({{instance}})',
          },
        ],
      },
      {
        id: 10,
        type: 'timeseries',
        title: 'Seeders and leechers',
        description: "Swarm size according to the tracker: sums over the host's torrents that report scrape data.",
        datasource: ds,
        gridPos: {
          x: 12,
          y: 12,
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
            expr: q('porla_tracker_host_scrape_complete{%(m)s,tracker_host="$tracker_host"}'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: 'seeders ({{instance}})',
          },
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('porla_tracker_host_scrape_incomplete{%(m)s,tracker_host="$tracker_host"}'),
            refId: 'B',
            range: true,
            instant: false,
            legendFormat: 'leechers ({{instance}})',
          },
        ],
      },
      {
        id: 11,
        type: 'timeseries',
        title: 'Completed downloads',
        description: "Completed downloads according to the tracker, summed over the host's torrents (porla_tracker_host_scrape_downloaded).",
        datasource: ds,
        gridPos: {
          x: 0,
          y: 20,
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
            expr: q('porla_tracker_host_scrape_downloaded{%(m)s,tracker_host="$tracker_host"}'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: '{{instance}}',
          },
        ],
      },
      {
        id: 12,
        type: 'histogram',
        title: 'Next announce spread',
        description: "Distribution of the time until each tracker's next announce on this host (porla_tracker_next_announce_timestamp_seconds - time()); negative values are overdue. Unscheduled announces have no value.",
        datasource: ds,
        gridPos: {
          x: 8,
          y: 20,
          w: 8,
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
              fillOpacity: 80,
              lineWidth: 1,
            },
          },
          overrides: [],
        },
        options: {
          bucketOffset: 0,
          combine: false,
          legend: {
            displayMode: 'list',
            placement: 'bottom',
            showLegend: true,
          },
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('porla_tracker_next_announce_timestamp_seconds{%(m)s,tracker_host="$tracker_host"} - time()'),
            refId: 'A',
            format: 'table',
            instant: true,
            range: false,
          },
        ],
      },
      {
        id: 14,
        type: 'timeseries',
        title: 'Next announce quantiles',
        description: "Minimum, median and 90th percentile of the time until the next announce over the host's trackers. A minimum far below zero means overdue announces.",
        datasource: ds,
        gridPos: {
          x: 16,
          y: 20,
          w: 8,
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
            expr: q('min by (job, instance) (porla_tracker_next_announce_timestamp_seconds{%(m)s,tracker_host="$tracker_host"} - time())'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: 'min ({{instance}})',
          },
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('quantile by (job, instance) (0.5, porla_tracker_next_announce_timestamp_seconds{%(m)s,tracker_host="$tracker_host"} - time())'),
            refId: 'B',
            range: true,
            instant: false,
            legendFormat: 'median ({{instance}})',
          },
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('quantile by (job, instance) (0.9, porla_tracker_next_announce_timestamp_seconds{%(m)s,tracker_host="$tracker_host"} - time())'),
            refId: 'C',
            range: true,
            instant: false,
            legendFormat: 'p90 ({{instance}})',
          },
        ],
      },
      {
        id: 13,
        type: 'table',
        title: 'Failing torrents on this host',
        description: 'Trackers on $tracker_host in status error, with their consecutive failures, error class and torrent name.',
        datasource: ds,
        gridPos: {
          x: 0,
          y: 28,
          w: 24,
          h: 10,
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
                  value: t.trackerFailsWarning,
                },
                {
                  color: 'red',
                  value: t.trackerFailsCritical,
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
          overrides: [
            {
              matcher: {
                id: 'byName',
                options: 'consecutive fails',
              },
              properties: [
                {
                  id: 'custom.cellOptions',
                  value: {
                    type: 'color-text',
                  },
                },
              ],
            },
          ],
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
          sortBy: [
            {
              displayName: 'consecutive fails',
              desc: true,
            },
          ],
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('porla_tracker_fails{%(m)s,tracker_host="$tracker_host"} * ignoring (class) group_left (class) porla_tracker_last_error{%(m)s,tracker_host="$tracker_host"} * on (job, instance, info_hash) group_left (name) porla_torrent_info{%(m)s}'),
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
                tracker_host: true,
              },
              renameByName: {
                Value: 'consecutive fails',
                name: 'torrent',
                class: 'error class',
              },
              indexByName: {},
            },
          },
        ],
      },
    ],
    extraVariables=[
      {
        type: 'query',
        name: 'tracker_host',
        label: 'Tracker host',
        datasource: ds,
        query: q('label_values(porla_tracker_host_torrents{%(m)s}, tracker_host)'),
        definition: q('label_values(porla_tracker_host_torrents{%(m)s}, tracker_host)'),
        current: {},
        hide: 0,
        includeAll: false,
        multi: false,
        refresh: 2,
        regex: '',
        sort: 1,
        options: [],
      },
    ],
  )
