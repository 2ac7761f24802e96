/**
 * The part of pdfkit 0.20 that the evidence pack and its signer use. pdfkit ships no types and
 * @types/pdfkit is not installed, so this declares only what Steward calls, as pdfkit defines it.
 */
declare module 'pdfkit' {
  import { Readable } from 'node:stream';

  export namespace PDFKit {
    interface Margins {
      top: number;
      bottom: number;
      left: number;
      right: number;
    }

    interface DocumentOptions {
      size?: string | [number, number];
      layout?: 'portrait' | 'landscape';
      margins?: Margins;
      margin?: number;
      bufferPages?: boolean;
      autoFirstPage?: boolean;
      compress?: boolean;
      pdfVersion?: '1.3' | '1.4' | '1.5' | '1.6' | '1.7' | '1.7ext3';
      lang?: string;
      displayTitle?: boolean;
      tagged?: boolean;
      info?: Record<string, string | Date>;
      font?: string;
    }

    interface TextOptions {
      width?: number;
      height?: number;
      align?: 'left' | 'center' | 'right' | 'justify';
      lineBreak?: boolean;
      ellipsis?: boolean | string;
      lineGap?: number;
      paragraphGap?: number;
      continued?: boolean;
      underline?: boolean;
      link?: string | null;
      destination?: string;
      goTo?: string;
      characterSpacing?: number;
      features?: string[];
    }

    interface PDFReference {
      data: Record<string, unknown>;
      end(chunk?: string | Buffer): void;
    }

    interface EmbeddedFont {
      id: string;
      ascender: number;
      encode(
        text: string,
      ): [string[], Array<{ xAdvance: number; advanceWidth: number; xOffset: number; yOffset: number }>];
      ref(): PDFReference;
    }

    interface Page {
      width: number;
      height: number;
      margins: Margins;
      xobjects: Record<string, PDFReference>;
      fonts: Record<string, PDFReference>;
      dictionary: { data: Record<string, unknown> };
      annotations: unknown[];
    }

    interface Outline {
      addItem(title: string, options?: { expanded?: boolean }): Outline;
    }

    interface FileOptions {
      name?: string;
      type?: string;
      description?: string;
      hidden?: boolean;
      creationDate?: Date;
      modifiedDate?: Date;
      relationship?: 'Alternative' | 'Data' | 'Source' | 'Supplement' | 'Unspecified';
    }

    interface PDFDocument extends Readable {
      page: Page;
      x: number;
      y: number;
      info: Record<string, string | Date>;
      outline: Outline;
      _root: { data: Record<string, unknown> };

      addPage(options?: DocumentOptions): this;
      bufferedPageRange(): { start: number; count: number };
      switchToPage(n: number): Page;
      flushPages(): void;
      end(): void;

      registerFont(name: string, src: string | Buffer | Uint8Array, family?: string): this;
      font(src: string | Buffer | Uint8Array, size?: number): this;
      fontSize(size: number): this;
      currentLineHeight(includeGap?: boolean): number;
      widthOfString(text: string, options?: TextOptions): number;
      heightOfString(text: string, options?: TextOptions): number;
      text(text: string, x?: number, y?: number, options?: TextOptions): this;
      text(text: string, options?: TextOptions): this;
      /**
       * pdfkit's internal writer of one line of text (what text() calls per line), at (x, y) in the
       * current font, size and fill colour; `textWidth` and `wordCount` spare it measuring the line.
       */
      _fragment(
        text: string,
        x: number,
        y: number,
        options: { textWidth?: number; wordCount?: number },
      ): void;
      moveDown(lines?: number): this;
      addNamedDestination(name: string): this;

      file(src: string | Buffer | Uint8Array, options?: FileOptions): unknown;
      ref(data: Record<string, unknown>): PDFReference;
      /** The current font (after font()). */
      _font: EmbeddedFont;
      /** Appends raw content-stream operators to the current page. */
      addContent(data: string): this;

      save(): this;
      restore(): this;
      rect(x: number, y: number, w: number, h: number): this;
      roundedRect(x: number, y: number, w: number, h: number, r: number): this;
      circle(x: number, y: number, r: number): this;
      moveTo(x: number, y: number): this;
      lineTo(x: number, y: number): this;
      lineWidth(w: number): this;
      fill(color?: string): this;
      stroke(color?: string): this;
      fillAndStroke(fill?: string, stroke?: string): this;
      fillColor(color: string, opacity?: number): this;
      strokeColor(color: string, opacity?: number): this;
      fillOpacity(opacity: number): this;
    }
  }

  const PDFDocument: {
    new (options?: PDFKit.DocumentOptions): PDFKit.PDFDocument;
  };
  export default PDFDocument;
}
