/**
 * A PostgreSQL server restart (fast shutdown: 57P01 to every session, 57P03 while it starts) under two instances,
 * on a private server of this test's own; the drills are in support/restart-drill.ts (issue 18, decision 0037).
 */
import { describeRestartDrills } from './support/restart-drill.ts';

describeRestartDrills('postgres', 'PostgreSQL');
