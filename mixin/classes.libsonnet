// The values of the `class` label (docs/metrics.md, Error classes), in the exporter's order
// (src/classify.rs, ErrorClass::ALL; tests/it/dashboards.rs checks that the dashboards map
// exactly these). Each class belongs to a family: what the user does about it. The family gives
// the colour of the class in the dashboards and its line in the panel descriptions. Colours are
// Grafana colour names; 'text' is the theme's text colour (grafana/grafana,
// packages/grafana-data/src/themes/createVisualizationColors.ts, getColorByName).
//
// `alert`: the host-level alert that reports the class on its own. PorlaTrackerHostFailing
// leaves these classes out, and so do the per-torrent alerts (PorlaTorrentAllTrackersFailing,
// PorlaTrackerFailLimitReached) for a tracker failing with one of them: one cause, one alert.
{
  families: [
    { name: 'refused', color: 'red', what: 'the tracker refuses the user (passkey, account, client, IP or limits), act now' },
    { name: 'not on tracker', color: 'purple', what: 'the torrent is not (or not yet) on the tracker, remove or replace it or wait for moderation' },
    { name: 'client', color: 'orange', what: 'announces too often or malformed, or libtorrent would not contact the tracker: fix the client' },
    { name: 'tracker down', color: 'yellow', what: "the tracker's own fault (maintenance, overload, server error): wait" },
    { name: 'network', color: 'blue', what: 'the tracker could not be reached or answered garbage: network or tracker outage' },
    { name: 'unknown', color: 'text', what: 'no pattern matched: read the message' },
  ],

  list: [
    { name: 'connection_refused', family: 'network' },
    { name: 'timeout', family: 'network' },
    { name: 'dns', family: 'network' },
    { name: 'network', family: 'network' },
    { name: 'tls', family: 'network' },
    { name: 'http_4xx', family: 'network' },
    { name: 'http_5xx', family: 'tracker down' },
    { name: 'bad_response', family: 'network' },
    { name: 'blocked', family: 'client' },
    { name: 'tracker_failure', family: 'unknown' },
    { name: 'unregistered', family: 'not on tracker', alert: 'PorlaTorrentsUnregistered' },
    { name: 'access_denied', family: 'refused', alert: 'PorlaTrackerAccessDenied' },
    { name: 'rate_limited', family: 'client' },
    { name: 'tracker_unavailable', family: 'tracker down' },
    { name: 'bad_request', family: 'client' },
    { name: 'other', family: 'unknown' },
  ],

  local familyOf(c) = [f for f in $.families if f.name == c.family][0],

  // class name -> Grafana colour.
  colors:: { [c.name]: familyOf(c).color for c in $.list },

  // The classes with a host alert of their own, as a PromQL regex: "unregistered|access_denied".
  ownAlertRegex:: std.join('|', [c.name for c in $.list if std.objectHas(c, 'alert')]),

  // What the classes' colours mean and where each class is documented, for the descriptions of
  // the panels that show them: help(_config.classesDocUrl) starts "Colours by what to do: ";
  // lead replaces "Colours".
  help(docUrl, lead='Colours'):: lead + ' by what to do: ' + $.legend + ' Each class: ' + docUrl,

  // One sentence per family for panel descriptions: "red: access_denied: the tracker ...".
  legend:: std.join(' ', [
    '%s = %s: %s.' % [if f.color == 'text' then 'uncoloured' else f.color, std.join(', ', [c.name for c in $.list if c.family == f.name]), f.what]
    for f in $.families
  ]),
}
