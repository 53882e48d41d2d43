/** The figures `hcarb plot` draws (apart from the drawing code, so the CLI can name them without loading Vega). */
export const PLOT_KINDS = ['profile', 'cycling', 'dqdv', 'gitt', 'cv', 'nyquist'] as const;
export type PlotKind = typeof PLOT_KINDS[number];
