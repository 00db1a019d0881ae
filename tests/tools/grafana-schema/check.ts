// The types a rendered dashboard is checked against: Grafana's own, from @grafana/schema
// (pinned in package.json). tests/tools/grafana_schema.rs writes each dashboard as a typed
// literal, `const dashboard: Dashboard = {...}`, and each panel's options and field config as
// `const panel_N: Panel<"table"> = {...}`, then runs tsc on them. TypeScript's excess-property
// check on object literals is what catches a misspelled key.
//
// What the check allows beyond Grafana's types, each with its reason:
// 1. Every field is optional: Grafana fills the defaults of what a file leaves out.
// 2. An enum is read as its values (`"sm"` for TableCellHeight.Sm, and so on): JSON has
//    no enums. String enums become the union of their strings; numeric enums take their numbers.
// 3. A variable may carry `definition` (a query variable's query as text, shown in the list):
//    Grafana's own exports write it and its variable editor reads it, but the schema lacks it.
// 4. Panel options and field config are checked per panel type (below), not in the dashboard
//    model, where @grafana/schema types them as open records.
// 5. An override's property is checked by its id (a standard field option or `custom.` and a key
//    of the panel type's FieldConfig); its value is not checked, as its type depends on the id.
// Nothing else: an unknown panel type or key is an error.

import type * as grafana from "@grafana/schema";
import type * as histogram from "@grafana/schema/dist/esm/raw/composable/histogram/panelcfg/x/HistogramPanelCfg_types.gen";
import type * as stat from "@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen";
import type * as table from "@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen";
import type * as timeseries from "@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen";

/** Allowances 1 and 2: every field optional, enums as their values. */
export type Loose<T> = T extends string
  ? `${T}`
  : T extends number | boolean | null | undefined
    ? T
    : T extends ReadonlyArray<infer U>
      ? Array<Loose<U>>
      : T extends object
        ? { [K in keyof T]?: Loose<T[K]> }
        : T;

/** Allowance 3. */
type Variable = Loose<grafana.VariableModel> & { definition?: string };

/** The dashboard model; panels as Grafana's Panel and RowPanel (allowance 4). */
export type Dashboard = Omit<Loose<grafana.Dashboard>, "templating" | "panels"> & {
  templating?: { list?: Variable[] };
  panels?: Array<Loose<grafana.Panel> | Loose<grafana.RowPanel>>;
};

/** The panel types the dashboards use, each with its Options and its FieldConfig (`custom`);
 * a panel of another type fails until it is added here. */
interface PanelTypes {
  histogram: { options: histogram.Options; custom: histogram.FieldConfig };
  // A stat panel has no field config of its own: any `custom` key is an error.
  stat: { options: stat.Options; custom: Record<string, never> };
  table: { options: table.Options; custom: table.FieldConfig };
  timeseries: { options: timeseries.Options; custom: timeseries.FieldConfig };
}

type StandardFieldOption = Exclude<keyof grafana.FieldConfig, "custom">;

/** A field config whose `custom` is the panel type's own, not an open record. */
type FieldConfig<C> = Omit<Loose<grafana.FieldConfig>, "custom"> & { custom?: Loose<C> };

/** Allowance 5. */
type Override<C> = {
  matcher?: Loose<grafana.MatcherConfig>;
  properties?: Array<{ id: StandardFieldOption | `custom.${keyof C & string}`; value?: unknown }>;
};

/** One panel's options and field config, checked against its type's own types. */
export type Panel<K extends keyof PanelTypes> = {
  options?: Loose<PanelTypes[K]["options"]>;
  fieldConfig?: {
    defaults?: FieldConfig<PanelTypes[K]["custom"]>;
    overrides?: Array<Override<PanelTypes[K]["custom"]>>;
  };
};
