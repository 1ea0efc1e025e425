// Drives Debian's headless Chromium for tests/it/preview.rs, one command a line.
//
// Reads commands on stdin and answers each with one JSON line on stdout:
// {"ok": value} or {"err": "why"}. Every wait has a timeout (ms, given or 5000).
//
//   open URL              load the preview page; wait until it shows a PDF; ok: its version
//   wait-version N [MS]   wait until the page shows a PDF version other than N; ok: the version
//   save-pdf PATH         fetch the PDF the page shows, from the page, into PATH; ok: its size
//   wait-error [MS]       wait until the page shows an error; ok: the error box's text
//   wait-no-error [MS]    wait until the page shows no error
//   text ID               ok: the text of the element #ID as the page shows it ("" if hidden)
//   screenshot PATH       a PNG of the page (after 2 s, for the PDF viewer to draw)
//   quit                  close the browser and end
//
// Chromium is /usr/bin/chromium (Debian's package `chromium`), or $BAOCAO_CHROMIUM.
import { chromium } from "playwright-core";
import { writeFileSync } from "node:fs";
import { createInterface } from "node:readline";

const executablePath = process.env.BAOCAO_CHROMIUM || "/usr/bin/chromium";
const browser = await chromium.launch({
  executablePath,
  headless: true,
  timeout: 30000,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
  ],
});
const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });

// The version of the PDF the page's frame shows (its `?v=N`), or 0.
const shownVersion = () =>
  page.evaluate(() => {
    const frame = document.getElementById("pdf");
    if (!frame || frame.hidden || !frame.src) return 0;
    return Number(new URL(frame.src).searchParams.get("v") || 0);
  });

async function until(what, ms, test) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await test();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const commands = {
  async open(url) {
    await page.goto(url, { timeout: 10000 });
    return until("the first PDF", 10000, shownVersion);
  },
  async "wait-version"(rest) {
    const [old, ms = "5000"] = rest.split(/\s+/);
    return until(`a PDF version other than ${old}`, Number(ms), async () => {
      const v = await shownVersion();
      return v !== Number(old) && v;
    });
  },
  async "save-pdf"(path) {
    const base64 = await page.evaluate(async () => {
      const response = await fetch(document.getElementById("pdf").src);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const blob = await response.blob();
      const url = await new Promise((resolve) => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result);
        reader.readAsDataURL(blob);
      });
      return url.slice(url.indexOf(",") + 1);
    });
    const bytes = Buffer.from(base64, "base64");
    writeFileSync(path, bytes);
    return bytes.length;
  },
  async "wait-error"(ms) {
    return until("the page to show an error", Number(ms || 5000), () =>
      page.evaluate(() => {
        const box = document.getElementById("loi");
        return !box.hidden && box.innerText;
      }),
    );
  },
  async "wait-no-error"(ms) {
    return until("the page to show no error", Number(ms || 5000), () =>
      page.evaluate(() => document.getElementById("loi").hidden),
    );
  },
  async text(id) {
    return page.evaluate((id) => document.getElementById(id).innerText, id);
  },
  async screenshot(path) {
    // The PDF viewer draws its pages a moment after the frame loads.
    await page.waitForTimeout(2000);
    await page.screenshot({ path });
    return path;
  },
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  // The command's name, then the rest of the line (a path may hold spaces).
  const text = line.trim();
  const space = text.indexOf(" ");
  const name = space < 0 ? text : text.slice(0, space);
  const rest = space < 0 ? "" : text.slice(space + 1);
  if (name === "quit" || name === "") break;
  let answer;
  try {
    const command = commands[name];
    if (!command) throw new Error(`unknown command ${name}`);
    answer = { ok: await command(rest) };
  } catch (e) {
    answer = { err: String(e && e.message ? e.message : e) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
await browser.close();
