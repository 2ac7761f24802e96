import { isAscii } from 'node:buffer';
import iconv from 'iconv-lite';
import { AppError } from '../../../../shared/api/errors';
import type { TextEncodingName } from './sniff-file';

/**
 * Turns a file's bytes into text chunk by chunk, characters cut between chunks included. UTF-8 is
 * decoded strictly: a file that changes encoding half-way is an error, not mojibake. Windows-1252
 * and UTF-16BE go through iconv-lite (SECURITY.md: Node 20's TextDecoder maps 0x80-0x9F wrongly
 * for windows-1252: `€` is 0x80).
 */
export interface ChunkDecoder {
  write(bytes: Buffer): string;
  end(): string;
  /** The encoding in use; for a file sniffed as ASCII it changes once the first other byte decides. */
  readonly encoding: TextEncodingName;
}

export function createChunkDecoder(encoding: TextEncodingName, fileName: string): ChunkDecoder {
  switch (encoding) {
    case 'utf-8':
      return new StrictUtf8Decoder(fileName);
    case 'us-ascii':
      return new AsciiUntilProvenDecoder(fileName);
    case 'utf-16le':
      return new IconvDecoder('utf-16le', 'utf16le');
    case 'utf-16be':
      return new IconvDecoder('utf-16be', 'utf16be');
    case 'windows-1252':
      return new IconvDecoder('windows-1252', 'win1252');
  }
}

class StrictUtf8Decoder implements ChunkDecoder {
  readonly encoding = 'utf-8';
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private decodedBytes = 0;

  constructor(private readonly fileName: string) {}

  write(bytes: Buffer): string {
    const text = this.decode(bytes, true);
    this.decodedBytes += bytes.length;
    return text;
  }

  end(): string {
    return this.decode(undefined, false);
  }

  private decode(bytes: Buffer | undefined, stream: boolean): string {
    try {
      return this.decoder.decode(bytes, { stream });
    } catch {
      throw new AppError(
        'INVALID_FILE',
        `${this.fileName} starts as UTF-8 text but has bytes that are not UTF-8 after byte ${this.decodedBytes}: ` +
          'the file mixes encodings. Open it in a spreadsheet or editor and save it again as "CSV UTF-8".',
      );
    }
  }
}

class IconvDecoder implements ChunkDecoder {
  private readonly decoder: iconv.DecoderStream;

  constructor(
    readonly encoding: TextEncodingName,
    iconvName: string,
  ) {
    // The reader skips the BOM itself, so a U+FEFF in the text is data, not a marker to drop.
    this.decoder = iconv.getDecoder(iconvName, { stripBOM: false });
  }

  write(bytes: Buffer): string {
    return this.decoder.write(bytes);
  }

  end(): string {
    return this.decoder.end() ?? '';
  }
}

/**
 * The sample held only ASCII, which reads the same in UTF-8 and Windows-1252. The first chunk with
 * another byte decides: valid UTF-8 there means UTF-8, anything else means Windows-1252, the
 * encoding Excel and PowerShell write on Western Windows machines.
 */
class AsciiUntilProvenDecoder implements ChunkDecoder {
  private decided: ChunkDecoder | null = null;

  constructor(private readonly fileName: string) {}

  get encoding(): TextEncodingName {
    return this.decided?.encoding ?? 'us-ascii';
  }

  write(bytes: Buffer): string {
    if (this.decided) return this.decided.write(bytes);
    if (isAscii(bytes)) return bytes.toString('latin1');
    let probe: string | null = null;
    const utf8 = new StrictUtf8Decoder(this.fileName);
    try {
      probe = utf8.write(bytes);
    } catch {
      probe = null;
    }
    if (probe !== null) {
      this.decided = utf8;
      return probe;
    }
    this.decided = new IconvDecoder('windows-1252', 'win1252');
    return this.decided.write(bytes);
  }

  end(): string {
    return this.decided?.end() ?? '';
  }
}
