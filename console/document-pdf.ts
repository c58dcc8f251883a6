import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { LABELS, type Sheet } from './document-sheet.js';
import { say, type Lang, type Words } from './i18n.js';

/**
 * The PDF of a document sheet (pdfkit), laid out for A4: company header, title in
 * Chinese and English, number and date, customer, a lines table that wraps long
 * names and repeats its header on each new page, totals, and page numbers.
 *
 * Chinese needs a CJK font. By default the Noto Sans SC TTF files of the npm package
 * @expo-google-fonts/noto-sans-sc (so no OS font is needed); DOCUMENT_FONT_PATH
 * (and DOCUMENT_BOLD_FONT_PATH) point at another TTF/OTF, or at a collection such as
 * Debian's /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc with
 * DOCUMENT_FONT_NAME naming the face in it (NotoSansCJKsc-Regular).
 */

interface FontFile {
  data: Buffer;
  /** The face's PostScript name in a collection (TTC); undefined for a single font. */
  face: string | undefined;
}

const NPM_FONT = '@expo-google-fonts/noto-sans-sc';

/** The PDF cannot be made on this machine: the message says what to install or set. */
export class DocumentFontMissing extends Error {}

async function fontFile(file: string, face: string | undefined): Promise<FontFile> {
  try {
    await access(file);
  } catch {
    throw new DocumentFontMissing(
      `The CJK font for PDF documents is missing: ${file}. Run npm install (package ${NPM_FONT}), ` +
        'or set DOCUMENT_FONT_PATH to a TTF/OTF/TTC with Chinese (Debian: apt-get install fonts-noto-cjk).',
    );
  }
  return { data: await readFile(file), face };
}

function npmFontDir(): string {
  try {
    return path.dirname(createRequire(import.meta.url).resolve(`${NPM_FONT}/package.json`));
  } catch {
    return path.join('node_modules', NPM_FONT);
  }
}

const loaded = new Map<string, Promise<{ regular: FontFile; bold: FontFile }>>();

/** Read once per setting; a failed read is tried again next time (the package may be installed since). */
function loadFonts() {
  const env = process.env;
  const key = [env.DOCUMENT_FONT_PATH, env.DOCUMENT_FONT_NAME, env.DOCUMENT_BOLD_FONT_PATH, env.DOCUMENT_BOLD_FONT_NAME].join('\0');
  const cached = loaded.get(key);
  if (cached) return cached;
  const fonts = (async () => {
    const face = env.DOCUMENT_FONT_NAME || undefined;
    if (env.DOCUMENT_FONT_PATH) {
      const regular = await fontFile(env.DOCUMENT_FONT_PATH, face);
      const bold = env.DOCUMENT_BOLD_FONT_PATH ? await fontFile(env.DOCUMENT_BOLD_FONT_PATH, env.DOCUMENT_BOLD_FONT_NAME || face) : regular;
      return { regular, bold };
    }
    const dir = npmFontDir();
    return {
      regular: await fontFile(path.join(dir, '400Regular', 'NotoSansSC_400Regular.ttf'), undefined),
      bold: await fontFile(path.join(dir, '700Bold', 'NotoSansSC_700Bold.ttf'), undefined),
    };
  })().catch((err: unknown) => {
    loaded.delete(key);
    throw err;
  });
  loaded.set(key, fonts);
  return fonts;
}

const MARGIN = 40;
const FOOTER = 30;
const GREY = '#555555';
const RULE = '#999999';
const HEAD_FILL = '#eeeeee';
const BODY_SIZE = 8.5;
const PAD = 3;

/** Renders the sheet; resolves to the PDF bytes. */
export async function documentPdf(sheet: Sheet, lang: Lang): Promise<Buffer> {
  const { regular, bold } = await loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOTER, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: `${sheet.title.zh} ${sheet.title.en} ${sheet.number}`, Author: sheet.company.name },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', regular.data, regular.face as string);
  doc.registerFont('bold', bold.data, bold.face as string);

  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - FOOTER;
  const t = (w: Words) => say(lang, w);

  // Header: the company on the left, the document's title (both languages) on the right.
  let y = MARGIN;
  doc.font('bold').fontSize(13).fillColor('black').text(sheet.company.name, left, y, { width: width * 0.6 });
  const companyLines = [sheet.company.address, [sheet.company.taxId && `${t(LABELS.taxId)}: ${sheet.company.taxId}`, sheet.company.phone && `${t(LABELS.phone)}: ${sheet.company.phone}`].filter(Boolean).join('   ')];
  doc.font('body').fontSize(8).fillColor(GREY).text(companyLines.filter(Boolean).join('\n'), left, doc.y + 2, { width: width * 0.6 });
  const companyBottom = doc.y;
  doc.font('bold').fontSize(18).fillColor('black').text(sheet.title.zh, left + width * 0.6, y, { width: width * 0.4, align: 'right' });
  doc.font('body').fontSize(10).fillColor(GREY).text(sheet.title.en, left + width * 0.6, doc.y, { width: width * 0.4, align: 'right' });
  y = Math.max(companyBottom, doc.y) + 8;
  doc.moveTo(left, y).lineTo(left + width, y).lineWidth(1).strokeColor('black').stroke();
  y += 8;

  // Who and what: the customer on the left; number, date, currency and the document's facts on the right.
  const pairs = (items: [string, string][], x: number, w: number, top: number) => {
    let at = top;
    for (const [label, value] of items) {
      doc.font('body').fontSize(8.5).fillColor(GREY).text(label, x, at, { width: 62 });
      doc.fillColor('black').text(value, x + 64, at, { width: w - 64 });
      at = Math.max(doc.y, at + 11) + 1;
    }
    return at;
  };
  const c = sheet.customer;
  const leftEnd = pairs(
    [[t(LABELS.customer), `${c.code}  ${c.name}`], ...(c.address ? [[t(LABELS.address), c.address] as [string, string]] : []), ...(c.taxId ? [[t(LABELS.taxId), c.taxId] as [string, string]] : [])],
    left,
    width * 0.55,
    y,
  );
  const rightEnd = pairs(
    [[t(LABELS.number), sheet.number], [t(LABELS.date), sheet.date], [t(LABELS.currency), sheet.currency], ...sheet.facts.map((f): [string, string] => [t(f.label), f.value])],
    left + width * 0.58,
    width * 0.42,
    y,
  );
  y = Math.max(leftEnd, rightEnd) + 8;

  // The table: column widths by share; each row as tall as its tallest wrapped cell.
  const shares = sheet.columns.reduce((s, col) => s + col.width, 0);
  const widths = sheet.columns.map((col) => (col.width / shares) * width);
  const xs = widths.map((_, i) => left + widths.slice(0, i).reduce((s, w) => s + w, 0));
  const rowHeight = (cells: string[], font: string) => {
    doc.font(font).fontSize(BODY_SIZE);
    return Math.max(...cells.map((cell, i) => doc.heightOfString(cell || ' ', { width: widths[i]! - 2 * PAD }))) + 2 * PAD;
  };
  const drawRow = (cells: string[], top: number, font: string, fill?: string) => {
    const h = rowHeight(cells, font);
    if (fill) doc.rect(left, top, width, h).fill(fill);
    doc.font(font).fontSize(BODY_SIZE).fillColor('black');
    cells.forEach((cell, i) => doc.text(cell, xs[i]! + PAD, top + PAD, { width: widths[i]! - 2 * PAD, align: sheet.columns[i]!.align }));
    doc.moveTo(left, top + h).lineTo(left + width, top + h).lineWidth(0.5).strokeColor(RULE).stroke();
    return top + h;
  };
  const header = sheet.columns.map((col) => t(col.label));
  y = drawRow(header, y, 'bold', HEAD_FILL);
  for (const row of sheet.rows) {
    if (y + rowHeight(row, 'body') > bottom()) {
      doc.addPage();
      y = MARGIN;
      doc.font('body').fontSize(8).fillColor(GREY).text(`${sheet.title.zh} ${sheet.title.en} · ${sheet.number}`, left, y, { width });
      y = drawRow(header, doc.y + 4, 'bold', HEAD_FILL);
    }
    y = drawRow(row, y, 'body');
  }

  // Totals, right-aligned under the amounts.
  y += 8;
  if (y + sheet.totals.length * 14 > bottom()) {
    doc.addPage();
    y = MARGIN;
  }
  for (const total of sheet.totals) {
    doc.font('body').fontSize(9).fillColor(GREY).text(t(total.label), left + width * 0.5, y, { width: width * 0.28, align: 'right' });
    doc.font('bold').fillColor('black').text(`${total.value} ${sheet.currency}`, left + width * 0.78, y, { width: width * 0.22, align: 'right' });
    y += 14;
  }

  // Page numbers, written last when the page count is known; below the margin, so no page is added for them.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0;
    const n = i - range.start + 1;
    const label = lang === 'en' ? `Page ${n} of ${range.count}` : `第 ${n} / ${range.count} 页`;
    doc.font('body').fontSize(8).fillColor(GREY);
    doc.text(sheet.number, left, doc.page.height - MARGIN - 10, { width: width / 2, lineBreak: false });
    doc.text(label, left + width / 2, doc.page.height - MARGIN - 10, { width: width / 2, align: 'right', lineBreak: false });
  }
  doc.end();
  return done;
}
