/**
 * Dependencies loaded on first use. papaparse (~40 ms and ~11 MB at start) is needed only for a
 * quoted line, CSV output and a --masses file; cli-table3 only for tables on a terminal;
 * simple-statistics (~7 MB) only for a fade slope or a b-value fit. A clean export piped to a
 * file as JSON loads none of them.
 */
import { createRequire } from 'node:module';
import type PapaT from 'papaparse';
import type TableT from 'cli-table3';
import type * as StatsT from 'simple-statistics';

const require = createRequire(import.meta.url);
let papa: typeof PapaT | undefined;
let table: typeof TableT | undefined;
let stats: typeof StatsT | undefined;

export const papaparse = (): typeof PapaT => (papa ??= require('papaparse') as typeof PapaT);
export const cliTable = (): typeof TableT => (table ??= require('cli-table3') as typeof TableT);
export const simpleStatistics = (): typeof StatsT => (stats ??= require('simple-statistics') as typeof StatsT);
