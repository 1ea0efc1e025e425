// Read a PDF with pdf.js (pdfjs-dist), as Firefox and many web viewers do:
// prints JSON { pages: [text of each page], outline: [[depth, title, page]] }.
// Usage: node tests/node/pdfjs.mjs FILE.pdf
import { readFile } from "node:fs/promises";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const data = new Uint8Array(await readFile(process.argv[2]));
const doc = await getDocument({ data, verbosity: 0, isEvalSupported: false }).promise;

const pages = [];
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const content = await page.getTextContent();
  let text = "";
  for (const item of content.items) {
    text += item.str;
    if (item.hasEOL) text += "\n";
  }
  pages.push(text);
}

const outline = [];
async function walk(items, depth) {
  for (const item of items ?? []) {
    const dest = typeof item.dest === "string" ? await doc.getDestination(item.dest) : item.dest;
    const page = dest ? await doc.getPageIndex(dest[0]) : -1;
    outline.push([depth, item.title, page]);
    await walk(item.items, depth + 1);
  }
}
await walk(await doc.getOutline(), 0);

process.stdout.write(JSON.stringify({ pages, outline }));
