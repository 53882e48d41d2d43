/** The figures `hcarb plot` draws (apart from the drawing code, so the CLI can name them without loading Vega). */
export const PLOT_KINDS = ['profile', 'cycling', 'rate', 'dqdv', 'gitt', 'cv', 'dunn', 'capacitive', 'nyquist', 'bode', 'drt'] as const;
/** Kinds drawn from all the files together (one cell at several scan rates), not one series per file. */
export const BATCH_KINDS: readonly PlotKind[] = ['dunn', 'capacitive'];
export type PlotKind = typeof PLOT_KINDS[number];
