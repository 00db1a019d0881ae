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

  // A ratio as a percentage: 0.5 -> '50%'.
  percent(x):: $.num(x * 100) + '%',

  // Seconds of a Prometheus duration made of whole s, m, h and d parts: '90s', '10m', '1h30m'.
  seconds(d)::
    local unit = { s: 1, m: 60, h: 3600, d: 86400 };
    local step(acc, c) =
      if std.member('0123456789', c) then acc { n: acc.n * 10 + std.parseInt(c), digits: true }
      else
        assert std.objectHas(unit, c) && acc.digits : 'not a duration of whole s, m, h or d: ' + d;
        { total: acc.total + acc.n * unit[c], n: 0, digits: false };
    local r = std.foldl(step, std.stringChars(d), { total: 0, n: 0, digits: false });
    assert !r.digits && d != '' : 'not a duration of whole s, m, h or d: ' + d;
    r.total,

  // A Prometheus duration for a number of seconds, in the largest whole unit: 660 -> '11m'.
  duration(s):: if s % 3600 == 0 then '%dh' % (s / 3600)
  else if s % 60 == 0 then '%dm' % (s / 60)
  else '%ds' % s,

  // Lower case, as GitHub anchors headings: PorlaDown -> porladown.
  anchor(name):: std.asciiLower(name),

  // A dashboard query template of a per-instance count or sum that shows 0, not "no data", for
  // an instance where it has no series: or'ed with the instance's porla_up times 0.
  orZero(template):: template + ' or sum by (job, instance) (porla_up{%(m)s}) * 0',

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
