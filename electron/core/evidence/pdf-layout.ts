import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PDFKit } from 'pdfkit';

/**
 * Page layout for the evidence pack on top of pdfkit: fonts, headings, key/value blocks and tables
 * whose cells are wrapped by Steward and drawn line by line. pdfkit's own wrapping (and its
 * doc.table()) measures every word through the font's shaper on each call; here a glyph width is
 * measured once per character and font, so a 10,000-row table costs about what drawing its lines
 * costs, and a row's height is known before it is drawn (a row never straddles a page break unless
 * it is taller than a page, and then it continues under a repeated header).
 */

export const FONT = { regular: 'Sans', bold: 'Sans-Bold', mono: 'Mono' } as const;
export type FontName = (typeof FONT)[keyof typeof FONT];

const FONT_FILES: Record<FontName, string> = {
  Sans: 'DejaVuSansCondensed.ttf',
  'Sans-Bold': 'DejaVuSansCondensed-Bold.ttf',
  Mono: 'DejaVuSansMono.ttf',
};

/**
 * Where the DejaVu files are: next to this module in the sources (tests), in dist/fonts beside the
 * bundles (CLI, app, packaged asar: build/build-main.mjs copies them), or in the repository when a
 * bundle runs from elsewhere in it (the benchmark's .cache/bench).
 */
export function fontsFolder(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [join(here, 'fonts'), join(here, '..', 'fonts')];
  for (let dir = here, i = 0; i < 6; i += 1, dir = dirname(dir))
    candidates.push(join(dir, 'electron', 'core', 'evidence', 'fonts'));
  const found = candidates.find((c) => existsSync(join(c, FONT_FILES.Sans)));
  if (!found)
    throw new Error(
      `The evidence fonts are missing (looked in ${candidates.slice(0, 3).join(', ')}). Reinstall Steward.`,
    );
  return found;
}

let fontCache: Record<FontName, Buffer> | null = null;

export function registerFonts(doc: PDFKit.PDFDocument): void {
  if (!fontCache) {
    const folder = fontsFolder();
    fontCache = {
      Sans: readFileSync(join(folder, FONT_FILES.Sans)),
      'Sans-Bold': readFileSync(join(folder, FONT_FILES['Sans-Bold'])),
      Mono: readFileSync(join(folder, FONT_FILES.Mono)),
    };
  }
  for (const name of Object.keys(FONT_FILES) as FontName[]) doc.registerFont(name, fontCache[name]);
  doc.font(FONT.regular);
}

export const COLOR = {
  ink: '#1b2330',
  muted: '#5b6675',
  faint: '#8a94a3',
  rule: '#d3d9e1',
  accent: '#1f3a5f',
  headerFill: '#e6ebf2',
  zebra: '#f6f8fb',
  certify: '#2e7d32',
  revoke: '#c62828',
  reassign: '#e08600',
  exception: '#6a3d9a',
  pending: '#9aa3ae',
  okFill: '#e8f3ea',
  badFill: '#fbe9e9',
} as const;

/** Measures text with widths cached per character, font and size. */
export class TextMeasure {
  private readonly tables = new Map<FontName, Float64Array>();
  /** Set when measuring changed the document's font or size, which the writer must then set again. */
  touched = false;

  constructor(private readonly doc: PDFKit.PDFDocument) {}

  width(text: string, font: FontName, size: number): number {
    // Widths at 1 pt for the Basic Multilingual Plane, per font; a size scales them.
    let table = this.tables.get(font);
    if (!table) {
      table = new Float64Array(0x10000).fill(-1);
      this.tables.set(font, table);
    }
    let total = 0;
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      let w = table[code]!;
      if (w < 0) {
        // A surrogate pair is measured as a whole and its width kept on the high half.
        const ch =
          code >= 0xd800 && code < 0xdc00 && i + 1 < text.length ? text.slice(i, i + 2) : text.charAt(i);
        this.doc.font(font).fontSize(1);
        this.touched = true;
        w = this.doc.widthOfString(ch);
        if (ch.length === 1) table[code] = w;
        else i += 1;
      } else if (code >= 0xd800 && code < 0xdc00) i += 1;
      total += w;
    }
    return total * size;
  }

  /**
   * Breaks text into lines no wider than `max`: at spaces first, then after / : @ , ; _ . - (ARNs,
   * e-mails, paths), and inside a run with none of those (a hash) wherever it must.
   */
  wrap(text: string, max: number, font: FontName, size: number): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split(/\r\n|\r|\n/)) {
      if (this.width(paragraph, font, size) <= max) {
        lines.push(paragraph);
        continue;
      }
      const tokens = paragraph.match(/[^\s/:@,;_.-]*[\s/:@,;_.-]*/g)?.filter((t) => t.length > 0) ?? [];
      let line = '';
      let lineWidth = 0;
      for (const token of tokens) {
        const tokenWidth = this.width(token, font, size);
        const visible = this.width(token.trimEnd(), font, size);
        if (lineWidth + visible <= max) {
          line += token;
          lineWidth += tokenWidth;
          continue;
        }
        if (line.trim()) lines.push(line.trimEnd());
        line = '';
        lineWidth = 0;
        if (visible <= max) {
          line = token;
          lineWidth = tokenWidth;
          continue;
        }
        for (const ch of token) {
          const w = this.width(ch, font, size);
          if (lineWidth + w > max && line) {
            lines.push(line);
            line = '';
            lineWidth = 0;
          }
          line += ch;
          lineWidth += w;
        }
      }
      lines.push(line.trimEnd());
    }
    return lines;
  }
}

/**
 * A line's glyphs as a TJ operand, with the font's kerning as pdfkit writes it; null when a glyph is
 * offset from its advance, which needs pdfkit's own positioning.
 */
function encodeRun(font: PDFKit.EmbeddedFont | undefined, text: string): string | null {
  if (!font) return null;
  const [glyphs, positions] = font.encode(text);
  const parts: string[] = [];
  let last = 0;
  for (let i = 0; i < positions.length; i += 1) {
    const position = positions[i]!;
    if (position.xOffset || position.yOffset) return null;
    const kern = position.xAdvance - position.advanceWidth;
    if (kern !== 0) {
      parts.push(`<${glyphs.slice(last, i + 1).join('')}> ${(-kern).toFixed(2)}`);
      last = i + 1;
    }
  }
  if (last < glyphs.length) parts.push(`<${glyphs.slice(last).join('')}>`);
  return `[${parts.join(' ')}] TJ`;
}

export interface Column {
  header: string;
  width: number;
  font?: FontName;
  align?: 'left' | 'right';
  /** The text colour of a cell, from its text (a decision's colour). */
  color?: (text: string) => string | undefined;
}

const PAD_X = 3;
const PAD_Y = 2.5;

export interface FooterOptions {
  /** The running title at the foot of every page. */
  title: string;
}

/**
 * A number drawn on pages before it is known (the page count, the page a section starts on): each
 * use places a form XObject, whose content (the digits, in the embedded font) is written once at
 * the end. Pages are then written and let go as they are finished, never held until the count is
 * known, and the number is still real text.
 */
export class DeferredNumber {
  private readonly ref: PDFKit.PDFReference;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    readonly name: string,
    private readonly size: number,
  ) {
    this.ref = doc.ref({ Type: 'XObject', Subtype: 'Form', BBox: [0, -size, 40 * size, 2 * size] });
  }

  /** Places the number with its baseline where a line of text drawn at (x, y) would have it. */
  place(x: number, y: number, color: string): void {
    const doc = this.doc;
    doc.page.xobjects[this.name] = this.ref;
    doc.font(FONT.regular).fontSize(this.size);
    const ascent = (doc._font.ascender / 1000) * this.size;
    doc.save().fillColor(color);
    // pdfkit's pages run y downwards (a flipped matrix); the form's own space runs upwards.
    doc.addContent(`1 0 0 -1 ${x.toFixed(2)} ${(y + ascent).toFixed(2)} cm /${this.name} Do`);
    doc.restore();
  }

  /** Writes the digits; call once, before doc.end(). */
  resolve(value: number): void {
    const doc = this.doc;
    doc.font(FONT.regular).fontSize(this.size);
    const font = doc._font;
    const [glyphs] = font.encode(String(value));
    this.ref.data.Resources = { Font: { [font.id]: font.ref() } };
    this.ref.end(`BT /${font.id} ${this.size} Tf 0 0 Td <${glyphs.join('')}> Tj ET`);
  }
}

/**
 * The document being written: pdfkit with the cursor, page breaks, headings and tables that the
 * pack needs. Pages are not held in memory (a 10,000-decision pack has 1,400 of them): each is
 * written as soon as the next begins, with "Page x of y" whose y is a DeferredNumber.
 */
export class PackWriter {
  readonly measure: TextMeasure;
  /** The page being drawn, from 0. */
  page = 0;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  y: number;
  /** Level-1 sections and the page (0-based) each starts on, for the cover's contents. */
  readonly sections: Array<{ title: string; page: number }> = [];
  /** Called on every new page while a table is being drawn, to repeat its header. */
  private onNewPage: (() => void) | null = null;

  /** The page count, printed in every footer and known at the end. */
  readonly totalPages: DeferredNumber;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    private readonly footer: FooterOptions,
  ) {
    this.measure = new TextMeasure(doc);
    this.totalPages = new DeferredNumber(doc, 'StewardPageCount', 7.5);
    const { width, height, margins } = doc.page;
    this.left = margins.left;
    this.right = width - margins.right;
    this.top = margins.top;
    this.bottom = height - margins.bottom;
    this.y = this.top;
    this.drawFooter();
  }

  get width(): number {
    return this.right - this.left;
  }

  newPage(): void {
    this.doc.addPage();
    this.page += 1;
    // A new page starts from the default graphics state.
    this.state = { font: this.state.font, size: this.state.size, color: '' };
    this.y = this.top;
    // pdfkit keeps every word it has shaped; across thousands of pages of ids and times that grows
    // without bound (170 MB per 1,000 pages here), so past 20,000 words the cache starts afresh (the
    // common words are shaped again once, in milliseconds).
    if (this.page % 50 === 0) {
      const families = (this.doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: object }> })
        ._fontFamilies;
      for (const font of Object.values(families ?? {}))
        if (font.layoutCache && Object.keys(font.layoutCache).length > 20_000)
          font.layoutCache = Object.create(null) as object;
    }
    this.drawFooter();
    this.onNewPage?.();
  }

  /** After drawing behind the writer's back (a DeferredNumber), font, size and colour are set again. */
  resetState(): void {
    this.state = { font: '', size: 0, color: '' };
  }

  /** "Page x of y" and the running title, at the foot of the page just opened. */
  private drawFooter(): void {
    const page = this.doc.page;
    const bottom = page.margins.bottom;
    const y = page.height - bottom + 14;
    // Below the bottom margin: pdfkit must not take the footer for an overflow and open a page.
    page.margins.bottom = 0;
    this.doc
      .save()
      .moveTo(this.left, y - 5)
      .lineTo(this.right, y - 5)
      .lineWidth(0.4)
      .stroke(COLOR.rule)
      .restore();
    this.line(this.footer.title, this.left, y, FONT.regular, 7.5, COLOR.muted);
    // Room for the count's digits after "of", which are known at the end.
    const pageText = `Page ${this.page + 1} of `;
    const x = this.right - 22 - this.measure.width(pageText, FONT.regular, 7.5);
    this.line(pageText, x, y, FONT.regular, 7.5, COLOR.muted);
    this.totalPages.place(x + this.measure.width(pageText, FONT.regular, 7.5), y, COLOR.muted);
    this.resetState();
    page.margins.bottom = bottom;
  }

  /** Starts a new page unless `height` still fits below the cursor. */
  ensure(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
  }

  /** The font, size and colour last set on this page, so a run of cells does not set them again. */
  private state = { font: '', size: 0, color: '' };

  /**
   * One line of text at (x, y), never wrapped by pdfkit. Drawn through pdfkit's own fragment writer
   * with the width Steward already measured: doc.text() would shape the line twice more to measure
   * it, which is most of what a 1,400-page table costs.
   */
  line(text: string, x: number, y: number, font: FontName, size: number, color: string = COLOR.ink): void {
    if (!text) return;
    const textWidth = this.measure.width(text, font, size);
    if (this.measure.touched) {
      this.state = { font: '', size: 0, color: this.state.color };
      this.measure.touched = false;
    }
    const state = this.state;
    if (state.font !== font) this.doc.font(font);
    if (state.size !== size) this.doc.fontSize(size);
    if (state.color !== color) this.doc.fillColor(color);
    this.state = { font, size, color };
    const doc = this.doc;
    const embedded = doc._font;
    const key = `${font}\u0000${text}`;
    let run = this.runs.get(key);
    if (run === undefined) {
      run = encodeRun(embedded, text);
      if (this.runs.size >= 50_000) this.runs.clear();
      this.runs.set(key, run);
    }
    if (run === null || !embedded) {
      // Glyphs placed off their advance (combining marks): pdfkit positions each one.
      doc._fragment(text, x, y, { textWidth, wordCount: 1 });
      return;
    }
    if (doc.page.fonts[embedded.id] == null) doc.page.fonts[embedded.id] = embedded.ref();
    // pdfkit's pages run y downwards; the text matrix flips the glyphs upright at the baseline.
    const baseline = y + (embedded.ascender / 1000) * size;
    doc.addContent(
      `BT 1 0 0 -1 ${x.toFixed(2)} ${baseline.toFixed(2)} Tm /${embedded.id} ${size} Tf ${run} ET`,
    );
  }

  /** The TJ operand of each line drawn (per font), so a line repeated on thousands of rows is shaped once. */
  private readonly runs = new Map<string, string | null>();

  /** Wrapped text across the full width (or `width`), moving the cursor; breaks pages between lines. */
  paragraph(
    text: string,
    options: {
      font?: FontName;
      size?: number;
      color?: string;
      x?: number;
      width?: number;
      gap?: number;
    } = {},
  ): void {
    const font = options.font ?? FONT.regular;
    const size = options.size ?? 9;
    const x = options.x ?? this.left;
    const lineHeight = size * 1.3;
    for (const text_ of this.measure.wrap(text, options.width ?? this.right - x, font, size)) {
      this.ensure(lineHeight);
      this.line(text_, x, this.y, font, size, options.color);
      this.y += lineHeight;
    }
    this.y += options.gap ?? 4;
  }

  /** A section heading, with its bookmark; level 1 starts a new page. */
  heading(
    title: string,
    level: 1 | 2,
    parent: PDFKit.Outline,
    options: { newPage?: boolean } = {},
  ): PDFKit.Outline {
    if (level === 1 && (options.newPage ?? true)) this.newPage();
    else this.ensure(level === 1 ? 60 : 48);
    const size = level === 1 ? 17 : 11.5;
    if (level === 2) this.y += 6;
    const item = parent.addItem(title);
    if (level === 1) this.sections.push({ title, page: this.page });
    this.line(title, this.left, this.y, FONT.bold, size, COLOR.accent);
    this.y += size * 1.35;
    if (level === 1) {
      this.doc
        .save()
        .moveTo(this.left, this.y)
        .lineTo(this.right, this.y)
        .lineWidth(1.2)
        .stroke(COLOR.accent)
        .restore();
      this.y += 10;
    }
    return item;
  }

  /** Label/value pairs in two columns. */
  keyValues(
    pairs: Array<[string, string]>,
    options: { labelWidth?: number; x?: number; width?: number; size?: number } = {},
  ): void {
    const size = options.size ?? 9;
    const x = options.x ?? this.left;
    const labelWidth = options.labelWidth ?? 120;
    const valueWidth = (options.width ?? this.right - x) - labelWidth;
    const lineHeight = size * 1.35;
    for (const [label, value] of pairs) {
      const lines = this.measure.wrap(value, valueWidth, FONT.regular, size);
      this.ensure(lines.length * lineHeight);
      this.line(label, x, this.y, FONT.bold, size, COLOR.muted);
      for (const [i, text] of lines.entries())
        this.line(text, x + labelWidth, this.y + i * lineHeight, FONT.regular, size);
      this.y += lines.length * lineHeight + 1.5;
    }
  }

  /**
   * Draws a table row by row from any iterable (a database iterator), repeating the header on every
   * page. Only the row being drawn is held.
   */
  table(
    columns: Column[],
    rows: Iterable<string[]>,
    options: { size?: number; onRow?: (index: number) => void; empty?: string } = {},
  ): number {
    const size = options.size ?? 7.5;
    const lineHeight = size * 1.25;
    const total = columns.reduce((sum, c) => sum + c.width, 0);
    const scale = this.width / total;
    const widths = columns.map((c) => c.width * scale);
    const xs = widths.reduce<number[]>((acc, w, i) => [...acc, (acc[i] ?? this.left) + w], [this.left]);
    const headerLines = columns.map((c, i) =>
      this.measure.wrap(c.header, widths[i]! - 2 * PAD_X, FONT.bold, size),
    );
    const headerHeight = Math.max(...headerLines.map((l) => l.length)) * lineHeight + 2 * PAD_Y;

    const drawHeader = () => {
      this.doc.save().rect(this.left, this.y, this.width, headerHeight).fill(COLOR.headerFill).restore();
      headerLines.forEach((lines, i) =>
        lines.forEach((text, j) => {
          const w = this.measure.width(text, FONT.bold, size);
          const x = columns[i]!.align === 'right' ? xs[i]! + widths[i]! - PAD_X - w : xs[i]! + PAD_X;
          this.line(text, x, this.y + PAD_Y + j * lineHeight, FONT.bold, size, COLOR.accent);
        }),
      );
      this.y += headerHeight;
    };

    this.ensure(headerHeight + lineHeight * 2 + 2 * PAD_Y);
    drawHeader();
    const previous = this.onNewPage;
    this.onNewPage = drawHeader;
    let index = 0;
    try {
      for (const cells of rows) {
        const wrapped = columns.map((c, i) =>
          this.measure.wrap(cells[i] ?? '', widths[i]! - 2 * PAD_X, c.font ?? FONT.regular, size),
        );
        let from = 0;
        const count = Math.max(1, ...wrapped.map((l) => l.length));
        const fullPage = Math.floor((this.bottom - this.top - headerHeight - 2 * PAD_Y) / lineHeight);
        // A row that fits on a fresh page starts on one rather than being split.
        if (this.y + count * lineHeight + 2 * PAD_Y > this.bottom && count <= fullPage) this.newPage();
        while (from < count) {
          let fit = Math.floor((this.bottom - this.y - 2 * PAD_Y) / lineHeight);
          if (fit < 1) {
            this.newPage();
            fit = Math.floor((this.bottom - this.y - 2 * PAD_Y) / lineHeight);
          }
          const to = Math.min(count, from + fit);
          const height = (to - from) * lineHeight + 2 * PAD_Y;
          if (index % 2 === 1)
            this.doc.save().rect(this.left, this.y, this.width, height).fill(COLOR.zebra).restore();
          for (let i = 0; i < columns.length; i += 1) {
            const column = columns[i]!;
            const lines = wrapped[i]!;
            const color = column.color?.(cells[i] ?? '') ?? COLOR.ink;
            const font = column.font ?? FONT.regular;
            for (let j = from; j < Math.min(to, lines.length); j += 1) {
              const text = lines[j]!;
              if (!text) continue;
              const x =
                column.align === 'right'
                  ? xs[i]! + widths[i]! - PAD_X - this.measure.width(text, font, size)
                  : xs[i]! + PAD_X;
              this.line(text, x, this.y + PAD_Y + (j - from) * lineHeight, font, size, color);
            }
          }
          this.y += height;
          from = to;
          if (from < count) this.newPage();
        }
        this.doc
          .save()
          .moveTo(this.left, this.y)
          .lineTo(this.right, this.y)
          .lineWidth(0.3)
          .stroke(COLOR.rule)
          .restore();
        options.onRow?.(index);
        index += 1;
      }
    } finally {
      this.onNewPage = previous;
    }
    if (index === 0 && options.empty) {
      this.line(options.empty, this.left + PAD_X, this.y + PAD_Y, FONT.regular, size, COLOR.muted);
      this.y += lineHeight + 2 * PAD_Y;
    }
    this.y += 10;
    return index;
  }

  /**
   * A horizontal bar chart drawn as vector rectangles: one bar per entry, split into coloured
   * segments, with its label on the left and its total on the right.
   */
  barChart(
    entries: Array<{ label: string; segments: Array<{ value: number; color: string }> }>,
    options: {
      labelWidth?: number;
      barHeight?: number;
      legend?: Array<{ label: string; color: string }>;
    } = {},
  ): void {
    const labelWidth = Math.min(
      this.width * 0.4,
      options.labelWidth ??
        Math.max(90, ...entries.map((e) => this.measure.width(e.label, FONT.regular, 8) + 12)),
    );
    const barHeight = options.barHeight ?? 11;
    const gap = 5;
    const max = Math.max(1, ...entries.map((e) => e.segments.reduce((s, x) => s + x.value, 0)));
    const barLeft = this.left + labelWidth;
    const barSpace = this.width - labelWidth - 50;
    if (options.legend) {
      this.ensure(16);
      let x = barLeft;
      for (const item of options.legend) {
        this.doc
          .save()
          .rect(x, this.y + 1, 8, 8)
          .fill(item.color)
          .restore();
        this.line(item.label, x + 11, this.y, FONT.regular, 8, COLOR.muted);
        x += 11 + this.measure.width(item.label, FONT.regular, 8) + 16;
      }
      this.y += 15;
    }
    for (const entry of entries) {
      this.ensure(barHeight + gap);
      const label = this.measure.wrap(entry.label, labelWidth - 8, FONT.regular, 8)[0] ?? '';
      this.line(label, this.left, this.y + (barHeight - 8) / 2 - 0.5, FONT.regular, 8);
      let x = barLeft;
      let total = 0;
      this.doc.save().rect(barLeft, this.y, barSpace, barHeight).fill(COLOR.zebra).restore();
      for (const segment of entry.segments) {
        const w = (segment.value / max) * barSpace;
        if (w > 0) this.doc.save().rect(x, this.y, w, barHeight).fill(segment.color).restore();
        x += w;
        total += segment.value;
      }
      this.line(String(total), barLeft + barSpace + 6, this.y + (barHeight - 8) / 2 - 0.5, FONT.bold, 8);
      this.y += barHeight + gap;
    }
    this.y += 8;
  }
}
