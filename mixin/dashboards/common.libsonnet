// What the three dashboards share: the data source reference, the frame (links, tags, time,
// refresh) and the datasource/job/instance variables. Plain jsonnet, no library.
local lib = import '../lib.libsonnet';

{
  // Every panel, target and query variable uses the $datasource variable: no hard-coded uid.
  ds:: { type: 'prometheus', uid: '${datasource}' },

  // datasource, job and instance: the job variable offers the jobs the configured selector
  // matches, instance the targets of the chosen jobs.
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
    {
      type: 'query',
      name: 'job',
      label: 'Job',
      datasource: $.ds,
      query: lib.dashboardQuery(cfg, 'label_values(porla_up{%(sel)s}, job)'),
      definition: self.query,
      current: {},
      hide: 0,
      includeAll: true,
      multi: true,
      refresh: 2,
      regex: '',
      sort: 1,
      options: [],
    },
    {
      type: 'query',
      name: 'instance',
      label: 'Instance',
      datasource: $.ds,
      query: lib.dashboardQuery(cfg, 'label_values(porla_up{%(mj)s}, instance)'),
      definition: self.query,
      current: {},
      hide: 0,
      includeAll: true,
      multi: true,
      refresh: 2,
      regex: '',
      sort: 1,
      options: [],
    },
  ],

  // A dashboard: the shared frame around its panels and extra variables.
  dashboard(cfg, uid, title, description, panels, extraVariables=[]):: {
    annotations: { list: [] },
    description: description,
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    // null, so that the file imports into any Grafana.
    id: null,
    links: [
      {
        asDropdown: false,
        icon: 'external link',
        includeVars: true,
        keepTime: true,
        tags: [cfg.dashboardLinkTag],
        targetBlank: false,
        title: 'Porla dashboards',
        type: 'dashboards',
      },
    ],
    panels: panels,
    refresh: cfg.dashboardRefresh,
    schemaVersion: 39,
    tags: cfg.dashboardTags,
    templating: { list: $.variables(cfg) + extraVariables },
    time: { from: cfg.dashboardTimeFrom, to: 'now' },
    timepicker: {},
    timezone: 'browser',
    title: title,
    uid: uid,
    version: 1,
    weekStart: '',
  },
}
