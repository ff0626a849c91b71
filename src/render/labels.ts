import type { ControlStatus, DeviationKind, PeriodStatus, TimelineState } from '../model/evaluation.js';
import type { MappingSource } from '../model/types.js';

export const statusLabel: Record<ControlStatus, string> = {
  effective: 'Effective',
  deficient: 'Deficient',
  stale: 'Stale',
  'no-evidence': 'No evidence',
  'not-applicable': 'Not applicable',
};

export const statusMeaning: Record<ControlStatus, string> = {
  effective: 'fresh evidence shows the control operating, and nothing shows it failing',
  deficient: 'a check fails in its latest observation, a policy cadence was missed, or an exception expired',
  stale: 'evidence of operation exists, but none is recent enough to show the control operates now',
  'no-evidence': 'nothing shows the control operating (at most a policy, an exception or inconclusive results)',
  'not-applicable': 'excluded from scope, with the justification given',
};

export const mappingLabel: Record<MappingSource, string> = {
  explicit: 'named in the evidence',
  tool: 'mapped by the tool',
  'default-rule': "legible's default mapping",
  'config-rule': 'mapped by the config',
  crosswalk: 'through the crosswalk',
};

export const periodStatusOrder: readonly PeriodStatus[] = ['effective', 'deviations', 'no-evidence', 'not-applicable'];

export const periodStatusLabel: Record<PeriodStatus, string> = {
  effective: 'Operated throughout',
  deviations: 'Deviations',
  'no-evidence': 'No evidence in the period',
  'not-applicable': 'Not applicable',
};

/** As a count of controls reads: "27 with deviations". */
export const periodStatusCounted: Record<PeriodStatus, string> = {
  effective: 'operated throughout',
  deviations: 'with deviations',
  'no-evidence': 'with no evidence in the period',
  'not-applicable': 'not applicable',
};

export const periodStatusMeaning: Record<PeriodStatus, string> = {
  effective: 'evidence dated in the period shows the control operating, and no deviation was found',
  deviations: 'at some time in the period a check failed, checks stopped reporting, a cadence was missed or an exception lapsed',
  'no-evidence': 'nothing dated inside the period shows the control operating',
  'not-applicable': 'excluded from scope, with the justification given',
};

export const deviationLabel: Record<DeviationKind, string> = {
  'check-failed': 'check failing',
  'not-observed': 'checks not reporting',
  'cadence-missed': 'cadence missed',
  'exception-expired': 'exception lapsed',
};

/** What a day of a control's period was, as the timeline's legend names it. */
export const timelineStateLabel: Record<TimelineState, string> = {
  failing: 'Failing (a check, or a lapsed exception)',
  accepted: 'Within an accepted exception',
  'cadence-missed': 'Cadence missed',
  'not-observed': 'Checks not reporting',
  operating: 'Evidence of operation current',
  unknown: 'Nothing known',
};
