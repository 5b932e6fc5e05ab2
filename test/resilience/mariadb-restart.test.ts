/**
 * A MariaDB/MySQL server restart (normal shutdown: connections killed, then refused) under two instances, on a
 * private server of this test's own; the drills are in support/restart-drill.ts (issue 18, decision 0037).
 */
import { describeRestartDrills } from './support/restart-drill.ts';

describeRestartDrills('mysql', 'MariaDB');
