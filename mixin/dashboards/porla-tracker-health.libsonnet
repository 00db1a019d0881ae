// Porla / Tracker health: the overview (Porla up, data age, failing hosts and torrents, error
// classes, overdue announces). A function of _config (see dashboards.libsonnet); q() fills a
// query template with the job selector, the $job/$instance matchers and the rate interval.
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
    uid=cfg.dashboardUids.health,
    title='Porla / Tracker health',
    description='Tracker announce health of Porla, from porla-exporter: is Porla polled, which tracker hosts fail, which torrents suffer.',
    panels=[
      {
        id: 1,
        type: 'stat',
        title: 'Porla up',
        description: "porla_up: 1 when the exporter's last poll of Porla succeeded, 0 when it failed (Porla down, unreachable, or the token is rejected). Alert: PorlaDown.",
        datasource: ds,
        gridPos: {
          x: 0,
          y: 0,
          w: 3,
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
                  color: 'red',
                  value: null,
                },
                {
                  color: 'green',
                  value: a.PorlaDown.threshold,
                },
              ],
            },
            mappings: [
              {
                type: 'value',
                options: {
                  '0': {
                    text: 'DOWN',
                    color: 'red',
                    index: 0,
                  },
                  '1': {
                    text: 'UP',
                    color: 'green',
                    index: 1,
                  },
                },
              },
            ],
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
            expr: q('porla_up{%(m)s}'),
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
        title: 'Since last successful poll',
        description: 'Age of the data: time() minus porla_exporter_last_successful_poll_timestamp_seconds. It should stay around the poll interval (30s by default). Alerts: PorlaExporterDataStale (over ' + lib.num(a.PorlaExporterDataStale.threshold) + 's), PorlaExporterDown/Absent when no value at all.',
        datasource: ds,
        gridPos: {
          x: 3,
          y: 0,
          w: 3,
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
                  value: t.dataAgeWarning,
                },
                {
                  color: 'red',
                  value: a.PorlaExporterDataStale.threshold,
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
            expr: q('time() - porla_exporter_last_successful_poll_timestamp_seconds{%(m)s}'),
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
        title: 'Torrents',
        description: 'porla_torrents: torrents seen in the last successful poll.',
        datasource: ds,
        gridPos: {
          x: 6,
          y: 0,
          w: 3,
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
        id: 4,
        type: 'stat',
        title: 'Trackers in error',
        description: 'Torrent × tracker pairs whose status is error (recording rule porla:tracker_status:count).',
        datasource: ds,
        gridPos: {
          x: 9,
          y: 0,
          w: 3,
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
            expr: q('sum by (job, instance) (porla:tracker_status:count{%(m)s,status="error"}) or sum by (job, instance) (porla_up{%(m)s}) * 0'),
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
        title: 'Failing tracker hosts',
        description: 'Tracker hosts where more than ' + pct(a.PorlaTrackerHostFailing.threshold) + ' of the active (not inactive) torrents are in status error (porla:tracker_host_torrents:error_ratio > ' + lib.num(a.PorlaTrackerHostFailing.threshold) + ', the threshold of PorlaTrackerHostFailing).',
        datasource: ds,
        gridPos: {
          x: 12,
          y: 0,
          w: 3,
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
                  color: 'red',
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
            expr: q('count by (job, instance) (porla:tracker_host_torrents:error_ratio{%(m)s} > ' + lib.num(a.PorlaTrackerHostFailing.threshold) + ') or sum by (job, instance) (porla_up{%(m)s}) * 0'),
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
        title: 'Torrents failing on all trackers',
        description: 'Torrents whose every tracker is in status error: they get no peers from trackers. Alert: PorlaTorrentAllTrackersFailing.',
        datasource: ds,
        gridPos: {
          x: 15,
          y: 0,
          w: 3,
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
                  color: 'red',
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
            expr: q('count by (job, instance) (porla:torrent_trackers_error:count{%(m)s} == porla:torrent_trackers:count{%(m)s}) or sum by (job, instance) (porla_up{%(m)s}) * 0'),
            refId: 'A',
            instant: true,
            range: false,
            legendFormat: '{{instance}}',
          },
        ],
      },
      {
        id: 7,
        type: 'stat',
        title: 'Unregistered torrents',
        description: 'Torrents that a tracker reports as unregistered (porla_tracker_host_errors{class="unregistered"}, summed over hosts). Alert: PorlaTorrentsUnregistered.',
        datasource: ds,
        gridPos: {
          x: 18,
          y: 0,
          w: 3,
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
            expr: q('sum by (job, instance) (porla_tracker_host_errors{%(m)s,class="unregistered"})'),
            refId: 'A',
            instant: true,
            range: false,
            legendFormat: '{{instance}}',
          },
        ],
      },
      {
        id: 8,
        type: 'stat',
        title: 'Overdue announces',
        description: "Torrent × host pairs whose next announce is past due by more than the exporter's --collector.overdue-grace and not in flight (porla_tracker_host_announces_overdue, summed over hosts). Alert: PorlaAnnouncesOverdue.",
        datasource: ds,
        gridPos: {
          x: 21,
          y: 0,
          w: 3,
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
            expr: q('sum by (job, instance) (porla_tracker_host_announces_overdue{%(m)s})'),
            refId: 'A',
            instant: true,
            range: false,
            legendFormat: '{{instance}}',
          },
        ],
      },
      {
        id: 9,
        type: 'timeseries',
        title: 'Torrents by tracker status',
        description: 'porla_tracker_host_torrents summed over tracker hosts, by status. A torrent with trackers on two hosts counts twice.',
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
            expr: q('sum by (status) (porla_tracker_host_torrents{%(m)s})'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: '{{status}}',
          },
        ],
      },
      {
        id: 10,
        type: 'timeseries',
        title: 'Error ratio per tracker host',
        description: "Share of each host's active torrents in status error (recording rule porla:tracker_host_torrents:error_ratio). The dashed line is the PorlaTrackerHostFailing threshold (" + pct(a.PorlaTrackerHostFailing.threshold) + ').',
        datasource: ds,
        gridPos: {
          x: 12,
          y: 4,
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
                {
                  color: 'red',
                  value: a.PorlaTrackerHostFailing.threshold,
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
                mode: 'dashed',
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
            expr: q('porla:tracker_host_torrents:error_ratio{%(m)s}'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: '{{tracker_host}} ({{instance}})',
          },
        ],
      },
      {
        id: 11,
        type: 'table',
        title: 'Torrents per tracker host by status',
        description: 'Current porla_tracker_host_torrents as a matrix: one row per tracker host, one column per status.',
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
            expr: q('sum by (tracker_host, status) (porla_tracker_host_torrents{%(m)s})'),
            refId: 'A',
            format: 'table',
            instant: true,
            range: false,
          },
        ],
        transformations: [
          {
            id: 'groupingToMatrix',
            options: {
              columnField: 'status',
              rowField: 'tracker_host',
              valueField: 'Value',
              emptyValue: 'zero',
            },
          },
        ],
      },
      {
        id: 12,
        type: 'timeseries',
        title: 'Tracker errors by class',
        description: 'Torrents in status error by normalised error class (porla_tracker_host_errors summed over hosts). unregistered and tracker_failure come from the tracker; the others are network problems.',
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
            expr: q('sum by (class) (porla_tracker_host_errors{%(m)s})'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: '{{class}}',
          },
        ],
      },
      {
        id: 13,
        type: 'timeseries',
        title: 'Overdue announces per tracker host',
        description: 'porla_tracker_host_announces_overdue: torrents whose next announce to the host is past due beyond the grace period and not in flight.',
        datasource: ds,
        gridPos: {
          x: 0,
          y: 20,
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
            expr: q('porla_tracker_host_announces_overdue{%(m)s}'),
            refId: 'A',
            range: true,
            instant: false,
            legendFormat: '{{tracker_host}} ({{instance}})',
          },
        ],
      },
      {
        id: 16,
        type: 'timeseries',
        title: 'Polls and poll errors per minute',
        description: 'Exporter polls by result (porla_exporter_polls_total) and failed polls by cause (porla_exporter_poll_errors_total), per minute.',
        datasource: ds,
        gridPos: {
          x: 12,
          y: 20,
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
            legendFormat: '{{instance}} {{result}}',
          },
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('sum by (job, instance, class) (rate(porla_exporter_poll_errors_total{%(m)s}[%(rate)s])) * 60'),
            refId: 'B',
            range: true,
            instant: false,
            legendFormat: '{{instance}} error: {{class}}',
          },
        ],
      },
      {
        id: 14,
        type: 'table',
        title: 'Worst trackers (most consecutive failures)',
        description: 'The 20 trackers in status error with the most consecutive failed announces (porla_tracker_fails), with the error class and the torrent name (joined from porla_torrent_info). Also the place to look for PorlaTrackerFailLimitReached.',
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
            expr: q('topk(20, porla_tracker_fails{%(m)s} * ignoring (class) group_left (class) porla_tracker_last_error{%(m)s} * on (job, instance, info_hash) group_left (name) porla_torrent_info{%(m)s})'),
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
                Value: 'consecutive fails',
                name: 'torrent',
                class: 'error class',
              },
              indexByName: {},
            },
          },
        ],
      },
      {
        id: 15,
        type: 'table',
        title: 'Torrents failing on all trackers',
        description: 'Torrents whose every tracker is in status error; the value is the number of trackers. Alert: PorlaTorrentAllTrackersFailing.',
        datasource: ds,
        gridPos: {
          x: 0,
          y: 38,
          w: 24,
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
          sortBy: [
            {
              displayName: 'trackers',
              desc: true,
            },
          ],
        },
        targets: [
          {
            datasource: ds,
            editorMode: 'code',
            expr: q('(porla:torrent_trackers_error:count{%(m)s} == porla:torrent_trackers:count{%(m)s}) * on (job, instance, info_hash) group_left (name) porla_torrent_info{%(m)s}'),
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
                Value: 'trackers',
                name: 'torrent',
              },
              indexByName: {},
            },
          },
        ],
      },
    ],
  )
