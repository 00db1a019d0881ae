// Small helpers shared by the rules, alerts and dashboards of the mixin.
{
  // Fill `%(sel)s` in a PromQL template with the configured job selector. With an empty
  // selector, `{%(sel)s, x="y"}` becomes `{x="y"}` and `{%(sel)s}` disappears.
  promql(cfg, template)::
    local s = cfg.porlaExporterSelector;
    local filled = template % { sel: s };
    if s == '' then std.strReplace(std.strReplace(filled, '{, ', '{'), '{}', '') else filled,

  // The matchers of a dashboard selector: the job selector, then the dashboard's variables.
  dashboardMatchers(cfg, extra)::
    std.join(',', std.filter(function(m) m != '', [cfg.porlaExporterSelector] + extra)),

  // A number as the rules print it: 180, 0.5.
  num(x):: std.toString(x),

  // Lower case, as GitHub anchors headings: PorlaDown -> porladown.
  anchor(name):: std.asciiLower(name),

  // Fill a dashboard query template: %(m)s = the job selector and the $job and $instance
  // variables, %(mj)s = the job selector and $job, %(sel)s = the job selector alone (an empty
  // `{}` is dropped), %(rate)s = _config.rateInterval.
  dashboardQuery(cfg, template)::
    local filled = template % {
      m: $.dashboardMatchers(cfg, ['job=~"$job"', 'instance=~"$instance"']),
      mj: $.dashboardMatchers(cfg, ['job=~"$job"']),
      sel: cfg.porlaExporterSelector,
      rate: cfg.rateInterval,
    };
    std.strReplace(filled, '{}', ''),
}
