// Grafana constructors for the porla-exporter dashboards: plain jsonnet, in the spirit of
// node-mixin, without grafonnet. Each constructor returns a complete panel (or variable); what
// all our panels share (the $datasource variable, legend, tooltip, table footer, ...) is written
// here once, so a dashboard file says only what differs.
//
// A dashboard file is a function of _config (see dashboards.libsonnet) returning
//   g.dashboard(cfg, uid, title, description, rows, variables=[])
// rows: the grid's lines from top to bottom. A line is a list of panels side by side, each with
// an equal share of the 24 columns unless it sets `width`; a bare panel is a line of its own,
// full width. A line is as tall as its tallest panel. g.grid computes every gridPos from this
// (Grafana's GridPos: w <= 24, x < 24; grafana/grafana kinds/dashboard/dashboard_kind.cue).
// variables: appended to datasource, job and instance, which every dashboard has.
//
// Adding a panel is one constructor call in its line, e.g. a time series beside another:
//   g.timeseries(19, 'Torrents per tracker host', 'porla_tracker_host_torrents summed over statuses.',
//                [g.target(q('sum by (job, instance, tracker_host) (porla_tracker_host_torrents{%(m)s})'),
//                          '{{tracker_host}} ({{instance}})')]),
// q() of the dashboard file (lib.dashboardQuery) fills in the job selector, the $job/$instance
// matchers (%(m)s) and the rate interval (%(rate)s).
//
// Panel ids come first and never change: alerts link to panels by id (viewPanel in
// alerts.libsonnet, __panelId__ in alerting/grafana). A new panel takes an id its dashboard has
// never used; g.grid refuses a duplicate.
//   g.stat(id, title, description, expr, unit='none', steps=g.steps('blue'), mappings=[])
//       the last value of one instant query per instance (legend {{instance}}), its background
//       coloured by `steps`.
//   g.timeseries(id, title, description, targets, unit='none', min=0, max=null, stack=false,
//                steps=g.steps('green'), thresholdsStyle='off', overrides=[])
//       lines of range queries: targets = [g.target(expr, legend), ...] (refIds A, B, ... in
//       order); stack: stacked, filled areas; min/max: y axis bounds (null: none);
//       thresholdsStyle 'dashed' draws `steps` as lines.
//   g.table(id, title, description, expr, transformations=[], steps=g.steps('green'),
//           overrides=[], sortDesc=null, links=[])
//       one instant query as a table, or several: expr = [g.target(expr), ...] (refIds A, B,
//       ...; g.merge joins them into one row per label set, columns Value #A, Value #B, ...);
//       transformations: g.organize(...), g.matrix(...), g.merge; sortDesc: the column sorted
//       in descending order; links: data links of every cell, [g.link(title, url), ...].
//   g.histogram(id, title, description, expr, unit='none')
//       the distribution of the values of one instant query.
//   g.row(id, title)
//       a full-width row header (Grafana's RowPanel), a bare line of its own in rows. None of
//       the dashboards has one yet: tests/it/dashboards.rs checks every panel as a data panel
//       (description, unit, targets), so the first row needs those checks to skip type "row".
// Sizes: a panel is 4 high (stat), 8 (the others) or 1 (row); `+ { height:: 10 }` or
// `+ { width:: 6 }` changes it (hidden fields: they never reach the JSON).
//
// Parts:
//   g.steps(base, [[color, from], ...])  threshold steps: the base colour, then a colour from a
//                                        value on
//   g.upDown                             value mappings of a 0/1 series: DOWN red, UP green
//   g.target(expr, legend)               a query of a time series panel
//   g.organize(rename, hide=[])          table columns: rename {label: header}, hide labels
//                                        (Time, __name__ and job are always hidden)
//   g.matrix(rowField, columnField)      a table with one row per rowField value and one column
//                                        per columnField value
//   g.colorText(column)                  override: colour a table column's text by `steps`
//   g.column(name, unit=null, steps=null, mappings=null, cell=null)
//                                        override: one table column's unit, threshold steps,
//                                        value mappings or cell type (e.g. 'color-background')
//   g.merge                              the tables of several queries joined on their labels;
//                                        rows join only where shared columns agree, so the
//                                        queries must not return a metric name (__name__):
//                                        wrap them, e.g. max without () (...)
//   g.link(title, url)                   a data link; its url may read the cell's row with
//                                        ${__data.fields.<column>} or ${__data.fields[<index>]}
//   g.valueColors(column, colors)        override: colour a table column's text by its value
//                                        (colors: value -> Grafana colour, e.g. the error
//                                        classes' colours of classes.libsonnet)
//   g.fieldColors(colors, pattern='^%s$', table=false)
//                                        overrides: a fixed colour for each series or column
//                                        whose name matches the regex pattern filled with a key
//                                        of colors; table: colour a table column's text
//   g.queryVariable(name, label, query, multi=true)
//                                        a label_values() variable; multi: several values and All
//   g.ds                                 the $datasource reference, for a panel written by hand
local lib = import '../lib.libsonnet';

// Every panel, target and query variable uses the $datasource variable: no hard-coded uid.
local ds = { type: 'prometheus', uid: '${datasource}' };

// The fields every panel has. color: 'thresholds' or 'palette-classic'; kind: how its targets
// query (range, instant, table).
local panel(id, type, title, description, unit, color, steps, targets, kind) = {
  id: id,
  type: type,
  title: title,
  description: description,
  datasource: ds,
  fieldConfig: {
    defaults: {
      unit: unit,
      color: { mode: color },
      thresholds: { mode: 'absolute', steps: steps },
      mappings: [],
    },
    overrides: [],
  },
  targets: [
    { datasource: ds, editorMode: 'code', refId: std.char(std.codepoint('A') + i) }
    + kind + targets[i]
    for i in std.range(0, std.length(targets) - 1)
  ],
  height:: 8,
  width:: null,
};

local range = { range: true, instant: false };
local instant = { instant: true, range: false };
local tableFormat = instant { format: 'table' };

local legend = { displayMode: 'list', placement: 'bottom', showLegend: true };

{
  ds:: ds,

  steps(base, more=[]):: [{ color: base, value: null }] + [{ color: s[0], value: s[1] } for s in more],

  // Value mappings of a 0/1 series such as up or porla_up: 0 shows DOWN in red, 1 UP in green.
  upDown:: [{
    type: 'value',
    options: { '0': { text: 'DOWN', color: 'red', index: 0 }, '1': { text: 'UP', color: 'green', index: 1 } },
  }],

  target(expr, legend=null):: { expr: expr } + (if legend == null then {} else { legendFormat: legend }),

  stat(id, title, description, expr, unit='none', steps=$.steps('blue'), mappings=[])::
    panel(id, 'stat', title, description, unit, 'thresholds', steps, [$.target(expr, '{{instance}}')], instant) {
      fieldConfig+: { defaults+: { mappings: mappings } },
      options: {
        colorMode: 'background',
        graphMode: 'none',
        justifyMode: 'auto',
        orientation: 'auto',
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        textMode: 'auto',
      },
      height:: 4,
    },

  timeseries(id, title, description, targets, unit='none', min=0, max=null, stack=false, steps=$.steps('green'), thresholdsStyle='off', overrides=[])::
    panel(id, 'timeseries', title, description, unit, 'palette-classic', steps, targets, range) {
      fieldConfig+: {
        defaults+: {
          custom: {
            drawStyle: 'line',
            lineWidth: 1,
            fillOpacity: if stack then 20 else 0,
            showPoints: 'never',
            spanNulls: false,
            stacking: { mode: if stack then 'normal' else 'none', group: 'A' },
            thresholdsStyle: { mode: thresholdsStyle },
          },
        } + (if min == null then {} else { min: min }) + (if max == null then {} else { max: max }),
        overrides: overrides,
      },
      options: { legend: legend, tooltip: { mode: 'multi', sort: 'desc' } },
    },

  table(id, title, description, expr, transformations=[], steps=$.steps('green'), overrides=[], sortDesc=null, links=[])::
    local targets = if std.isArray(expr) then expr else [$.target(expr)];
    panel(id, 'table', title, description, 'none', 'thresholds', steps, targets, tableFormat) {
      fieldConfig+: {
        defaults+: { custom: { align: 'auto', filterable: true, cellOptions: { type: 'auto' } } }
                   + (if links == [] then {} else { links: links }),
        overrides: overrides,
      },
      options: {
        showHeader: true,
        cellHeight: 'sm',
        // No `footer`: hidden is Grafana's default, and the table options of the schema the
        // dashboards are checked against (@grafana/schema 13) no longer have one.
      } + (if sortDesc == null then {} else { sortBy: [{ displayName: sortDesc, desc: true }] }),
      transformations: transformations,
    },

  histogram(id, title, description, expr, unit='none')::
    panel(id, 'histogram', title, description, unit, 'palette-classic', $.steps('green'), [$.target(expr)], tableFormat) {
      fieldConfig+: { defaults+: { custom: { fillOpacity: 80, lineWidth: 1 } } },
      options: { bucketOffset: 0, combine: false, legend: legend },
    },

  row(id, title):: { id: id, type: 'row', title: title, collapsed: false, panels: [], height:: 1, width:: 24 },

  organize(rename, hide=[]):: {
    id: 'organize',
    options: {
      excludeByName: { Time: true, __name__: true, job: true } + { [h]: true for h in hide },
      renameByName: rename,
      indexByName: {},
    },
  },

  matrix(rowField, columnField):: {
    id: 'groupingToMatrix',
    options: { columnField: columnField, rowField: rowField, valueField: 'Value', emptyValue: 'zero' },
  },

  merge:: { id: 'merge', options: {} },

  column(name, unit=null, steps=null, mappings=null, cell=null):: {
    matcher: { id: 'byName', options: name },
    properties:
      (if unit == null then [] else [{ id: 'unit', value: unit }])
      + (if steps == null then [] else [{ id: 'thresholds', value: { mode: 'absolute', steps: steps } }])
      + (if mappings == null then [] else [{ id: 'mappings', value: mappings }])
      + (if cell == null then [] else [{ id: 'custom.cellOptions', value: { type: cell } }]),
  },

  link(title, url):: { title: title, url: url, targetBlank: false },

  colorText(column):: {
    matcher: { id: 'byName', options: column },
    properties: [{ id: 'custom.cellOptions', value: { type: 'color-text' } }],
  },

  valueColors(column, colors)::
    local names = std.objectFields(colors);
    {
      matcher: { id: 'byName', options: column },
      properties: [
        {
          id: 'mappings',
          value: [{
            type: 'value',
            options: { [names[i]]: { color: colors[names[i]], index: i } for i in std.range(0, std.length(names) - 1) },
          }],
        },
        { id: 'custom.cellOptions', value: { type: 'color-text' } },
      ],
    },

  fieldColors(colors, pattern='^%s$', table=false):: [
    {
      matcher: { id: 'byRegexp', options: pattern % name },
      properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: colors[name] } }]
                  + (if table then [{ id: 'custom.cellOptions', value: { type: 'color-text' } }] else []),
    }
    for name in std.objectFields(colors)
  ],

  // The lines of `rows` (see the top of this file) laid out on Grafana's 24-column grid: x runs
  // along a line, y down the lines.
  grid(rows)::
    local lines = [if std.isArray(r) then r else [r] for r in rows];
    local place(line, y) =
      local fixed = std.foldl(function(s, p) s + (if p.width == null then 0 else p.width), line, 0);
      local shared = std.length([p for p in line if p.width == null]);
      local share = if shared == 0 then 0 else (24 - fixed) / shared;
      assert shared == 0 || (share >= 1 && share == std.floor(share)) :
             'the panels of a line do not share 24 columns evenly: ' + std.toString([p.id for p in line]);
      local next(acc, p) =
        local w = if p.width == null then share else p.width;
        assert acc.x + w <= 24 : 'line wider than 24 columns at panel ' + p.id;
        { x: acc.x + w, panels: acc.panels + [p { gridPos: { x: acc.x, y: y, w: w, h: p.height } }] };
      std.foldl(next, line, { x: 0, panels: [] }).panels;
    local down(acc, line) = {
      y: acc.y + std.foldl(function(h, p) std.max(h, p.height), line, 0),
      panels: acc.panels + place(line, acc.y),
    };
    local placed = std.foldl(down, lines, { y: 0, panels: [] }).panels;
    local ids = [p.id for p in placed];
    assert std.length(std.set(ids)) == std.length(ids) : 'a panel id is used twice: ' + std.toString(ids);
    placed,

  // A query variable of label_values(); multi: several values may be chosen, and All.
  queryVariable(name, label, query, multi=true):: {
    type: 'query',
    name: name,
    label: label,
    datasource: ds,
    query: query,
    definition: query,
    current: {},
    hide: 0,
    includeAll: multi,
    multi: multi,
    refresh: 2,
    regex: '',
    sort: 1,
    options: [],
  },

  // The variables of every dashboard: datasource, then job (the jobs the configured selector
  // matches) and instance (the targets of the chosen jobs).
  variables(cfg):: [
    {
      type: 'datasource',
      name: 'datasource',
      label: 'Data source',
      query: 'prometheus',
      current: {},
      hide: 0,
      includeAll: false,
      multi: false,
      refresh: 1,
      regex: '',
      options: [],
    },
    $.queryVariable('job', 'Job', lib.dashboardQuery(cfg, 'label_values(porla_up{%(sel)s}, job)')),
    $.queryVariable('instance', 'Instance', lib.dashboardQuery(cfg, 'label_values(porla_up{%(mj)s}, instance)')),
  ],

  // A dashboard: the frame every dashboard shares (links, tags, time, refresh, variables) around
  // its panels, laid out by grid.
  dashboard(cfg, uid, title, description, rows, variables=[]):: {
    annotations: { list: [] },
    description: description,
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    // null, so that the file imports into any Grafana.
    id: null,
    links: [{
      asDropdown: false,
      icon: 'external link',
      includeVars: true,
      keepTime: true,
      tags: [cfg.dashboardLinkTag],
      targetBlank: false,
      title: 'Porla dashboards',
      type: 'dashboards',
    }],
    panels: $.grid(rows),
    refresh: cfg.dashboardRefresh,
    schemaVersion: 39,
    tags: cfg.dashboardTags,
    templating: { list: $.variables(cfg) + variables },
    time: { from: cfg.dashboardTimeFrom, to: 'now' },
    timepicker: {},
    timezone: 'browser',
    title: title,
    uid: uid,
    version: 1,
    weekStart: '',
  },
}
