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
  // Integers as integers; other numbers with 15 significant digits, so that 0.8 is 0.8 and not
  // 0.80000000000000004 (jsonnet 0.18's std.toString). (%g of 0 fails in jsonnet 0.18.)
  num(x):: if x == std.floor(x) then std.toString(x) else std.format('%.15g', x),

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
