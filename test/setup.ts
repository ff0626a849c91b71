import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers/temp.js';

// Runs in every test file: whatever temporary folders its tests made are gone when it ends.
afterAll(removeTempDirs);
