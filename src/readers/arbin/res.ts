/**
 * Arbin `.res` (MITS Pro results, MS Access Jet 4): the tables that matter, read with the
 * project's own Jet reader (jet.ts). Tables are found by name through the catalogue (MSysObjects,
 * TDEF page 2: Id & 0xFFFFFF = the table's TDEF page, Type 1 = a table).
 */
import { DataError } from '../../errors.js';
import { JetDb, type JetTable } from './jet.js';
import { oleDate } from '../biologic/table.js';

export interface ResTable { columns: string[]; rows: (number | string | boolean | null)[][]; declaredRows: number }
export interface ResTables {
  normal: ResTable;
  statistic: ResTable | null;
  global: Record<string, number | string | boolean | null> | null;
  massMg: number | null;
  notes: string[];
  warnings: string[];
}

function asTable(t: JetTable): ResTable {
  return { columns: t.def.columns.map((c) => c.name), rows: t.rows, declaredRows: t.def.rows };
}

export function readResTables(bytes: Uint8Array, source: string): ResTables {
  const db = new JetDb(bytes, source);
  let catalogue: JetTable;
  try {
    const def = db.tableDef(2);
    catalogue = db.read(def, ['Id', 'Name', 'Type']);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`the database catalogue cannot be read (${(e as Error).message}); the file is damaged`, { file: source });
  }
  const pages = new Map<string, number>();
  for (const [id, name, type] of catalogue.rows) if (type === 1 && typeof name === 'string' && typeof id === 'number') pages.set(name, id & 0xffffff);
  const table = (name: string): JetTable | null => {
    const p = pages.get(name);
    if (p === undefined) return null;
    if (p <= 0 || p >= db.pages) throw new DataError(`table ${name} points to page ${p}, outside the file: the database is damaged`, { file: source });
    return db.read(db.tableDef(p));
  };
  const notes: string[] = [];
  const warnings: string[] = [];
  const normalT = table('Channel_Normal_Table');
  if (!normalT) throw new DataError(`no Channel_Normal_Table in this database (tables: ${[...pages.keys()].filter((n) => !n.startsWith('MSys')).join(', ') || 'none'}); not an Arbin results file`, { file: source });
  const normal = asTable(normalT);
  if (normal.rows.length !== normal.declaredRows) warnings.push(`Channel_Normal_Table declares ${normal.declaredRows} rows and ${normal.rows.length} were read`);
  const iTest = normal.columns.indexOf('Test_ID'), iPoint = normal.columns.indexOf('Data_Point');
  if (iPoint >= 0) {
    let ordered = true;
    for (let k = 1; k < normal.rows.length && ordered; k++) {
      const a = normal.rows[k - 1]!, b = normal.rows[k]!;
      if ((a[iTest] as number) > (b[iTest] as number) || ((a[iTest] === b[iTest]) && (a[iPoint] as number) >= (b[iPoint] as number))) ordered = false;
    }
    if (!ordered) {
      normal.rows.sort((a, b) => ((a[iTest] as number) - (b[iTest] as number)) || ((a[iPoint] as number) - (b[iPoint] as number)));
      notes.push('Channel_Normal_Table rows were stored out of order: sorted by Test_ID and Data_Point');
    }
  }
  if (iTest >= 0) {
    const tests = new Set(normal.rows.map((r) => r[iTest]));
    if (tests.size > 1) warnings.push(`the file holds ${tests.size} tests (Test_ID ${[...tests].join(', ')}); their records are read in order as one run`);
  }
  const statT = table('Channel_Statistic_Table');
  const statistic = statT ? asTable(statT) : null;
  if (statistic) notes.push(`Channel_Statistic_Table: the cycler's own record of ${statistic.rows.length} completed cycles (last Data_Point, Vmax_On_Cycle, Charge_Time, Discharge_Time; no capacities)`);
  const globalT = table('Global_Table');
  let global: ResTables['global'] = null;
  let massMg: number | null = null;
  if (globalT && globalT.rows.length) {
    global = Object.fromEntries(globalT.def.columns.map((c, k) => [c.name, globalT.rows[0]![k] ?? null]));
    const start = typeof global.Start_DateTime === 'number' ? oleDate(global.Start_DateTime) : null;
    notes.push(`Global_Table: test '${global.Test_Name ?? ''}', schedule '${global.Schedule_File_Name ?? ''}', software ${global.Software_Version ?? '?'}${start ? `, started ${start}` : ''}`);
    if (typeof global.MASS === 'number' && global.MASS > 0) {
      massMg = Math.round(global.MASS * 1e3 * 1e6) / 1e6;
      notes.push(`Global_Table MASS = ${global.MASS} g (${massMg} mg): the mass entered in the schedule`);
    }
  }
  return { normal, statistic, global, massMg, notes, warnings };
}
