import type PDFDocument from 'pdfkit';

/**
 * PDFKit, loaded on the first PDF rather than at start: with its font engine, Brotli decoder and
 * ciphers it is ~2.5 MB of source a server would otherwise hold in its heap from the first second.
 */
export async function loadPdfKit(): Promise<typeof PDFDocument> {
  return (await import('pdfkit')).default;
}
