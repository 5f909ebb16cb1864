/** The release of this tree: what an edge reports in its status and the server shows per edge. */
export const AFTERCARE_VERSION = '0.1.0';
