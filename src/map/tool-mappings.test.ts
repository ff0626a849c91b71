import { describe, expect, it } from 'vitest';
import { toolMappings } from './tool-mappings.js';

describe('toolMappings', () => {
  it('keeps ISO/IEC 27001 and SOC 2 ids in the forms tools write them, ignores the rest', () => {
    expect(toolMappings(['ISO27001-2022: A.8.16', 'SOC2: cc_7_2', 'CIS-1.4: 2.1.1', 'A.8.16'], 'Prowler Compliance')).toEqual([
      { framework: 'iso27001-2022', id: 'A.8.16', source: 'tool', via: 'Prowler Compliance' },
      { framework: 'soc2-2017', id: 'CC7.2', source: 'tool', via: 'Prowler Compliance' },
    ]);
  });
});
