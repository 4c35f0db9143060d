/**
 * The text of issue 9's real corpus: sentences in legacy encodings and in UTF-16/32 without
 * a byte order mark, encoded by the machine's `iconv` (glibc), as other programs wrote them.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One text file: the sentence, the iconv charset it is written in, and the names FileForge may record. */
export interface CorpusText {
  name: string;
  text: string;
  charset: string;
  /** Acceptable recorded encodings (a superset decodes the same sentence identically). */
  encodings: readonly string[];
}

const FRENCH =
  "Le café est une boisson très populaire en France. Les Français boivent leur café noir, crème ou au lait, à la terrasse d'un café. Noël approche, et les élèves préparent déjà leurs cadeaux.\n";
const RUSSIAN =
  'Съешь же ещё этих мягких французских булок, да выпей чаю. Москва - столица России, крупнейший по численности населения город страны. В этом городе много музеев, театров и парков.\n';
const POLISH =
  'Zażółć gęślą jaźń. Pchnąć w tę łódź jeża lub ośm skrzyń fig. Warszawa jest stolicą Polski i największym miastem kraju. Wisła płynie przez środek miasta, a mieszkańcy spacerują po bulwarach.\n';
const GREEK =
  'Η Αθήνα είναι η πρωτεύουσα της Ελλάδας και μία από τις αρχαιότερες πόλεις του κόσμου. Οι κάτοικοι της πόλης αγαπούν τον ήλιο και τη θάλασσα, και τα καλοκαίρια πηγαίνουν στα νησιά.\n';
const CHINESE =
  '中华人民共和国是位于东亚的社会主义国家，首都北京。中国是世界上人口最多的国家之一，拥有悠久的历史和灿烂的文化。长城是中国古代的伟大建筑，每年吸引大量游客前来参观。\n';
const JAPANESE =
  '日本語の文字コード検出テストです。東京は日本の首都であり、世界有数の大都市です。春には桜が咲き、多くの人々が花見を楽しみます。富士山は日本で最も高い山として知られています。\n';
const KOREAN =
  '대한민국은 동아시아의 한반도 남부에 위치한 민주공화국이다. 수도는 서울특별시이며, 한국어를 공용어로 사용한다. 서울은 역사와 현대가 공존하는 도시로 많은 관광객이 찾는다.\n';
const THAI =
  'ประเทศไทยเป็นประเทศในเอเชียตะวันออกเฉียงใต้ กรุงเทพมหานครเป็นเมืองหลวงและเมืองที่ใหญ่ที่สุดของประเทศ อาหารไทยมีชื่อเสียงไปทั่วโลก เช่น ต้มยำกุ้งและผัดไทย\n';

/** The sentences, each in the encoding a program of its region would have written. */
export const CORPUS_TEXTS: readonly CorpusText[] = [
  { name: 'russian-cp1251.txt', text: RUSSIAN, charset: 'WINDOWS-1251', encodings: ['windows-1251'] },
  { name: 'russian-koi8.txt', text: RUSSIAN, charset: 'KOI8-R', encodings: ['koi8-r'] },
  { name: 'polish-cp1250.txt', text: POLISH, charset: 'WINDOWS-1250', encodings: ['windows-1250'] },
  { name: 'polish-latin2.txt', text: POLISH, charset: 'ISO-8859-2', encodings: ['iso-8859-2'] },
  {
    name: 'greek-cp1253.txt',
    text: GREEK,
    charset: 'WINDOWS-1253',
    encodings: ['windows-1253', 'iso-8859-7'],
  },
  { name: 'french-macroman.txt', text: FRENCH, charset: 'MACINTOSH', encodings: ['macintosh'] },
  { name: 'chinese-gbk.txt', text: CHINESE, charset: 'GBK', encodings: ['gbk', 'gb18030'] },
  { name: 'japanese-eucjp.txt', text: JAPANESE, charset: 'EUC-JP', encodings: ['euc-jp'] },
  { name: 'korean-euckr.txt', text: KOREAN, charset: 'EUC-KR', encodings: ['euc-kr'] },
  { name: 'korean-johab.txt', text: KOREAN, charset: 'JOHAB', encodings: ['johab'] },
  { name: 'thai-tis620.txt', text: THAI, charset: 'TIS-620', encodings: ['windows-874'] },
  { name: 'french-utf16le.txt', text: FRENCH, charset: 'UTF-16LE', encodings: ['utf-16le'] },
  { name: 'russian-utf16be.txt', text: RUSSIAN, charset: 'UTF-16BE', encodings: ['utf-16be'] },
  { name: 'chinese-utf16le.txt', text: CHINESE, charset: 'UTF-16LE', encodings: ['utf-16le'] },
  { name: 'french-utf32le.txt', text: FRENCH, charset: 'UTF-32LE', encodings: ['utf-32le'] },
  { name: 'japanese-utf32be.txt', text: JAPANESE, charset: 'UTF-32BE', encodings: ['utf-32be'] },
  // With a byte order mark (iconv's "UTF-32" writes one): read as UTF-32, not as UTF-16 plus NULs.
  { name: 'greek-utf32-bom.txt', text: GREEK, charset: 'UTF-32', encodings: ['utf-32le', 'utf-32be'] },
];

/** `text` in `charset`, by the machine's iconv. */
export async function encode(text: string, charset: string): Promise<Buffer> {
  const child = run('iconv', ['-f', 'UTF-8', '-t', charset], { encoding: 'buffer' });
  child.child.stdin?.on('error', () => {}); // a failing iconv rejects the promise instead
  child.child.stdin?.end(text);
  const { stdout } = await child;
  return stdout;
}
