import type { ControlStatus } from '../model/evaluation.js';
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
