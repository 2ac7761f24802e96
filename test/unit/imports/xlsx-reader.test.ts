import { xlsxReaderSuite } from './support/xlsx-reader-suite';

xlsxReaderSuite('on the importing thread');
